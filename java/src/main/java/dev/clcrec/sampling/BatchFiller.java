package dev.clcrec.sampling;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Fills one batch of one epoch: the pairs at that batch's positions of the epoch order, their
 * negatives and the hybrid rows, all drawn from the batch's own random stream.
 */
public final class BatchFiller {
    private final TrainingPairs pairs;
    private final NegativeSampler sampler;
    private final SamplingConfig config;

    public BatchFiller(TrainingPairs pairs, NegativeSampler sampler, SamplingConfig config) {
        if (pairs.size() == 0) {
            throw new IllegalArgumentException("no training pairs");
        }
        if (sampler.numNeg() != config.numNeg()) {
            throw new IllegalArgumentException("sampler draws " + sampler.numNeg() + " negatives, config asks " + config.numNeg());
        }
        this.pairs = pairs;
        this.sampler = sampler;
        this.config = config;
    }

    public SamplingConfig config() { return config; }
    public TrainingPairs pairs() { return pairs; }
    public NegativeSampler sampler() { return sampler; }

    /** Batches in one epoch (the last may be partial). */
    public long batchesPerEpoch() {
        return (pairs.size() + (long) config.batchSize() - 1) / config.batchSize();
    }

    /** Fills {@code batch} with batch {@code index} of {@code epoch}, given that epoch's order. */
    public void fill(Batch batch, long epoch, long index, int[] order, NegativeSampler.Scratch scratch) {
        int from = Math.toIntExact(index * config.batchSize());
        int size = Math.min(config.batchSize(), order.length - from);
        if (size <= 0) {
            throw new IllegalArgumentException("batch " + index + " is past the end of the epoch");
        }
        SplittableRandom rng = new SplittableRandom(Seeds.stream(config.seed(), epoch, index));
        int group = config.groupSize();
        MemorySegment users = batch.users();
        MemorySegment items = batch.items();
        int[] pu = pairs.users();
        int[] pi = pairs.items();
        for (int b = 0; b < size; b++) {
            int pair = order[from + b];
            int user = pu[pair];
            users.setAtIndex(ValueLayout.JAVA_LONG, b, user);
            long row = (long) b * group;
            items.setAtIndex(ValueLayout.JAVA_LONG, row, pi[pair]);
            sampler.sample(user, rng, scratch, items, row + 1);
        }
        long rows = (long) size * group;
        long numHybrid = config.hybridGroups() ? fillHybridGroups(batch.hybridRows(), size, group, rng)
                : fillHybridRows(batch.hybridRows(), rows, rng);
        batch.reset(epoch, index, size, numHybrid);
    }

    // The reference's draw: floor(rows * num_sample) rows with replacement, so a group's positive
    // and its negatives are a mix of id embeddings and encoder outputs.
    private long fillHybridRows(MemorySegment hybrid, long rows, SplittableRandom rng) {
        long numHybrid = config.hybridCount(rows);
        for (long h = 0; h < numHybrid; h++) {
            hybrid.setAtIndex(ValueLayout.JAVA_LONG, h, rng.nextLong(rows));
        }
        return numHybrid;
    }

    // Whole groups, drawn without replacement (a partial Fisher-Yates shuffle of the pairs): the
    // user's positive competes with its negatives as encoder outputs only, the ranking a new item
    // is served by, rather than against id embeddings of another scale.
    private long fillHybridGroups(MemorySegment hybrid, int size, int group, SplittableRandom rng) {
        int groups = config.hybridGroupCount(size);
        int[] pick = new int[size];
        for (int b = 0; b < size; b++) {
            pick[b] = b;
        }
        long h = 0;
        for (int g = 0; g < groups; g++) {
            int j = g + rng.nextInt(size - g);
            int chosen = pick[j];
            pick[j] = pick[g];
            pick[g] = chosen;
            long first = (long) chosen * group;
            for (int r = 0; r < group; r++) {
                hybrid.setAtIndex(ValueLayout.JAVA_LONG, h++, first + r);
            }
        }
        return h;
    }
}
