package dev.clcrec.engine;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small random model for the native/Java parity tests: random sizes, 1-3 modalities, sometimes
 * word-level text, random hyperparameters; the engine's own initial parameters, with some warm items'
 * id embeddings and some cold items' features duplicated so that rankings contain exact ties.
 */
final class RandomCase implements AutoCloseable {
    final Random random;
    final ModelConfig config;
    final ClcrecModel model;
    final int numUser;
    final int numItem;
    final int numWarm;
    final List<float[]> modalities = new ArrayList<>();
    final int[] widths;
    final long[] wordPairs; // null without word-level text
    final int numWordPairs;
    final int numWords;

    RandomCase(long seed, Arena arena) {
        random = new Random(seed);
        numUser = 3 + random.nextInt(12);
        numItem = 5 + random.nextInt(16);
        numWarm = 1 + random.nextInt(numItem - 1);
        int dimE = 2 + random.nextInt(7);
        boolean words = random.nextInt(3) == 0;
        int numModalities = 1 + random.nextInt(3);
        widths = new int[numModalities];
        List<FeatureMatrix> matrices = new ArrayList<>();
        for (int m = 0; m < numModalities; m++) {
            widths[m] = 1 + random.nextInt(6);
            float[] f = gaussian(numItem * widths[m]);
            // duplicate a cold item's content onto another cold item: their encoder outputs tie
            if (numItem - numWarm >= 2) {
                int a = numWarm + random.nextInt(numItem - numWarm);
                int b = numWarm + random.nextInt(numItem - numWarm);
                System.arraycopy(f, a * widths[m], f, b * widths[m], widths[m]);
            }
            modalities.add(f);
            matrices.add(new FeatureMatrix("m" + m, Fixtures.floats(arena, f), numItem, widths[m]));
        }
        WordPairs pairs = null;
        int wordDim = 2 + random.nextInt(5);
        if (words) {
            numWords = 3 + random.nextInt(8);
            List<long[]> list = new ArrayList<>();
            for (int i = 0; i < numItem; i++) {
                int n = 1 + random.nextInt(3);
                for (int w = 0; w < n; w++) {
                    list.add(new long[] {i, random.nextInt(numWords)});
                }
            }
            numWordPairs = list.size();
            wordPairs = new long[2 * numWordPairs];
            for (int p = 0; p < numWordPairs; p++) {
                wordPairs[p] = list.get(p)[0];
                wordPairs[numWordPairs + p] = list.get(p)[1];
            }
            pairs = new WordPairs(Fixtures.longs(arena, wordPairs), numWordPairs, numWords);
        } else {
            wordPairs = null;
            numWordPairs = 0;
            numWords = 0;
        }
        config = ModelConfig.defaults(numUser, numItem, numWarm)
                .withDimE(dimE)
                .withHiddenDim(4 + random.nextInt(13))
                .withWordDim(wordDim)
                .withTempValue(0.5 + 1.5 * random.nextDouble())
                .withLrLambda(random.nextDouble())
                .withRegWeight(0.2 * random.nextDouble())
                .withLearningRate(0.01)
                .withDevice(TestDevice.get())
                .withNumThreads(1)
                .withTrainWordEmbedding(random.nextBoolean())
                .withSeed(seed)
                .withReTempValue(random.nextBoolean() ? 0.0 : 0.2 + 1.8 * random.nextDouble());
        model = ClcrecModel.create(config, new ContentFeatures(matrices, pairs));

        // duplicate a few warm items' id embeddings: their scores tie exactly for every user
        float[] e = model.parameter("id_embedding");
        for (int t = 0; t < 2 && numWarm >= 2; t++) {
            int a = numUser + random.nextInt(numWarm);
            int b = numUser + random.nextInt(numWarm);
            System.arraycopy(e, a * dimE, e, b * dimE, dimE);
        }
        model.setParameter("id_embedding", e);
    }

    /** A Java reference holding the model's current parameters. */
    JavaReference reference() {
        double[][] x = JavaReference.content(modalities, widths, numItem);
        if (wordPairs != null) {
            x = JavaReference.withWords(x, wordPairs, numWordPairs, model.parameter("word_embedding"),
                    config.wordDim());
        }
        return new JavaReference(numUser, numItem, numWarm, config.dimE(), model.parameter("id_embedding"), x,
                model.parameter("encoder_layer1_weight"), model.parameter("encoder_layer1_bias"),
                model.parameter("encoder_layer2_weight"), model.parameter("encoder_layer2_bias"));
    }

    float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Override
    public void close() {
        model.close();
    }
}
