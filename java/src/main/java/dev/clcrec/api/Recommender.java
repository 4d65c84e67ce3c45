package dev.clcrec.api;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Interactions;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingResult;
import dev.clcrec.train.TrainingRun;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The library entry point for JVM services: train or load a CLCRec model over a dataset, evaluate
 * it, and recommend, including for brand-new items known only by their content.
 *
 * <pre>{@code
 * try (Dataset data = Datasets.open(Path.of("test-data"));
 *      Recommender rec = Recommender.load(Path.of("model.ckpt"), data, Device.CPU, 0)) {
 *     List<Recommendation> top = rec.recommend("user-42", 10, ItemFilter.COLD);
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> after construction a Recommender is safe for concurrent use: any number of
 * threads may call {@link #recommend}, {@link #embedNewItems}, {@link #recommendNewItems} and
 * {@link #evaluate} at once (the native engine runs read-only calls concurrently, and this class keeps
 * no mutable state: its item masks live in a shared arena built once). {@link #close()} must not race
 * with other calls.
 * The Recommender does not own the dataset; keep it open while the Recommender is in use.
 */
public final class Recommender implements AutoCloseable {
    private final Dataset data;
    private final ClcrecModel model;
    private final TrainingResult training;
    private final float[] userEmbeddings;
    private final int dimE;
    private final Arena arena; // the WARM and COLD item masks, built once
    private final MemorySegment warmOnly;
    private final MemorySegment coldOnly;

    private Recommender(Dataset data, ClcrecModel model, TrainingResult training) {
        this.data = data;
        this.model = model;
        this.training = training;
        this.userEmbeddings = model.userEmbeddings();
        this.dimE = model.config().dimE();
        int numItem = data.numItem();
        int numWarm = data.numWarmItem();
        this.arena = Arena.ofShared();
        this.warmOnly = arena.allocate(Math.max(1, numItem)); // zeroed: 0 = allowed
        this.coldOnly = arena.allocate(Math.max(1, numItem));
        warmOnly.asSlice(numWarm, numItem - numWarm).fill((byte) 1);
        coldOnly.asSlice(0, numWarm).fill((byte) 1);
    }

    /** Trains on {@code data} (all its modalities) and keeps the best epoch's model. */
    public static Recommender train(Dataset data, RunConfig config, TrainingListener listener) throws InterruptedException {
        return train(data, data.content(), config, listener);
    }

    /** Trains on {@code data} with a chosen subset of its content. */
    public static Recommender train(Dataset data, ContentFeatures content, RunConfig config, TrainingListener listener)
            throws InterruptedException {
        TrainingRun.Outcome o = TrainingRun.execute(data, content, config, listener);
        try {
            return new Recommender(data, o.model(), o.result());
        } catch (RuntimeException e) {
            o.model().close();
            throw e;
        }
    }

    /** Opens a checkpoint trained on {@code data} (with all its modalities). */
    public static Recommender load(Path checkpoint, Dataset data, Device device, int numThreads) {
        return load(checkpoint, data, data.content(), device, numThreads);
    }

    public static Recommender load(Path checkpoint, Dataset data, ContentFeatures content, Device device,
                                   int numThreads) {
        ClcrecModel model = ClcrecModel.load(checkpoint, content, device, 0, numThreads);
        try {
            if (model.config().numUser() != data.numUser() || model.config().numItem() != data.numItem()) {
                throw new IllegalArgumentException(checkpoint + " was trained for " + model.config().numUser()
                        + " users and " + model.config().numItem() + " items, but the dataset has "
                        + data.numUser() + " and " + data.numItem());
            }
            return new Recommender(data, model, null);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The underlying model (shared; do not close it). For reading: the Recommender caches the user
     * embeddings for {@link #recommendNewItems} when it is built, so a model changed through this
     * handle afterwards (training, setting parameters) needs a new Recommender.
     */
    public ClcrecModel model() {
        return model;
    }

    /** What training did, when this Recommender was trained rather than loaded. */
    public Optional<TrainingResult> training() {
        return Optional.ofNullable(training);
    }

    public void save(Path checkpoint) {
        model.save(checkpoint);
    }

    /** Full-ranking evaluation of every split and setting at the given cutoffs. */
    public EvalResult evaluate(int[] ks, int blockSize) {
        try (Evaluator ev = DatasetViews.evaluator(data, ks, blockSize)) {
            return ev.evaluate(new ModelRanker(model));
        }
    }

    /** Dense id of an external user id, or of a decimal dense id when the dataset has no mapping. */
    public int userIndex(String userId) {
        Optional<IdMapping> ids = data.ids();
        if (ids.isPresent()) {
            OptionalInt u = ids.get().denseUser(userId);
            if (u.isPresent()) {
                return u.getAsInt();
            }
            throw new IllegalArgumentException("unknown user id '" + userId + "'");
        }
        try {
            return checkUser(Integer.parseInt(userId.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("user '" + userId + "' is not a number, and the dataset has no id mapping");
        }
    }

    /** Top-{@code k} items for a user given by external id; see {@link #recommend(int, int, ItemFilter)}. */
    public List<Recommendation> recommend(String userId, int k, ItemFilter filter) {
        return recommend(userIndex(userId), k, filter);
    }

    /**
     * Top-{@code k} items for dense user {@code user}, excluding the items it interacted with in
     * training, restricted by {@code filter}. Fewer than k come back when fewer items qualify.
     */
    public List<Recommendation> recommend(int user, int k, ItemFilter filter) {
        checkUser(user);
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        Objects.requireNonNull(filter, "filter");
        int numItem = data.numItem();
        long kk = Math.min(k, numItem);
        Interactions train = data.train();
        int[] seen = train.row(user);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment users = a.allocateFrom(ValueLayout.JAVA_LONG, user);
            MemorySegment offsets = a.allocateFrom(ValueLayout.JAVA_LONG, 0, seen.length);
            MemorySegment excluded = a.allocate(ValueLayout.JAVA_LONG, Math.max(1, seen.length));
            for (int i = 0; i < seen.length; i++) {
                excluded.setAtIndex(ValueLayout.JAVA_LONG, i, seen[i]);
            }
            MemorySegment mask = switch (filter) {
                case ALL -> null;
                case WARM -> warmOnly;
                case COLD -> coldOnly;
            };
            MemorySegment outItems = a.allocate(ValueLayout.JAVA_LONG, kk);
            MemorySegment outScores = a.allocate(ValueLayout.JAVA_FLOAT, kk);
            model.topK(users, 1, offsets, excluded, mask, 1, kk, outItems, outScores);
            List<Recommendation> out = new ArrayList<>();
            for (int i = 0; i < kk; i++) {
                long item = outItems.getAtIndex(ValueLayout.JAVA_LONG, i);
                if (item < 0) {
                    break;
                }
                out.add(new Recommendation((int) item, itemName((int) item),
                        outScores.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            }
            return out;
        }
    }

    /**
     * Representations of new items from their content alone (the encoder), {@code numRows x dimE}
     * row-major: the same modalities and widths as the training content.
     */
    public float[] embedNewItems(long numRows, ContentFeatures features) {
        return model.encode(numRows, features);
    }

    /**
     * Ranks new items, given their representations from {@link #embedNewItems}, for a user: the
     * top-{@code k} rows by score. Usable as soon as the items are embedded, without retraining.
     */
    public List<Recommendation> recommendNewItems(int user, float[] itemEmbeddings, int k) {
        checkUser(user);
        Objects.requireNonNull(itemEmbeddings, "itemEmbeddings");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (itemEmbeddings.length % dimE != 0) {
            throw new IllegalArgumentException("item embeddings are not a whole number of rows of width " + dimE);
        }
        int rows = itemEmbeddings.length / dimE;
        Integer[] order = new Integer[rows];
        float[] scores = new float[rows];
        for (int r = 0; r < rows; r++) {
            order[r] = r;
            float s = 0;
            for (int d = 0; d < dimE; d++) {
                s += userEmbeddings[user * dimE + d] * itemEmbeddings[r * dimE + d];
            }
            scores[r] = s;
        }
        Arrays.sort(order, (x, y) -> scores[x] != scores[y] ? Float.compare(scores[y], scores[x]) : Integer.compare(x, y));
        List<Recommendation> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, rows); i++) {
            out.add(new Recommendation(order[i], "new:" + order[i], scores[order[i]]));
        }
        return out;
    }

    private int checkUser(int user) {
        if (user < 0 || user >= data.numUser()) {
            throw new IllegalArgumentException("user " + user + " outside 0.." + (data.numUser() - 1));
        }
        return user;
    }

    private String itemName(int item) {
        return data.ids().map(m -> m.externalItem(item)).orElse(Integer.toString(item));
    }

    /** Frees the model (not the dataset); idempotent. */
    @Override
    public void close() {
        model.close();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
