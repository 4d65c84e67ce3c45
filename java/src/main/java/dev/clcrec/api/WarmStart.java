package dev.clcrec.api;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.ModelConfig;
import java.nio.file.Path;

/**
 * The starting point of a warm retrain: a model of the candidate's sizes, initialised as the model
 * initialises itself (so rows for new users and new cold items are fresh ones), then every row and
 * weight the serving model has copied over: user rows by dense id, warm item rows to their new ids,
 * the encoder whole. An item that becomes warm (a cold or runtime-added item with interactions now)
 * starts from the vector the serving model ranks it with, its encoder output: its id row in the
 * serving model was never trained, and starting it from noise would throw away what the content
 * says (on the test fixtures a warm retrain lost half its holdout recall that way). Saved as a
 * checkpoint without a training state, which a training run fine-tunes from epoch 0 (fresh Adam state).
 */
final class WarmStart {
    private WarmStart() {}

    static void write(Catalog c, RetrainData data, ModelConfig config, ContentFeatures content, Path ckpt) {
        ServingModel serving = c.model;
        ClcrecModel old = serving.model;
        try (ClcrecModel fresh = ClcrecModel.create(config, content)) {
            for (String name : fresh.parameterNames()) {
                long[] shape = fresh.parameterShape(name);
                long[] oldShape = old.parameterShape(name);
                if (name.equals("id_embedding")) {
                    fresh.setParameter(name, idRows(old.parameter(name), fresh.parameter(name), c, data));
                } else if (java.util.Arrays.equals(shape, oldShape)) {
                    fresh.setParameter(name, old.parameter(name));
                } else {
                    throw new IllegalStateException("parameter " + name + " has shape "
                            + java.util.Arrays.toString(oldShape) + " in the serving model but "
                            + java.util.Arrays.toString(shape) + " in the candidate");
                }
            }
            fresh.save(ckpt);
        }
    }

    /** The table holds users first, then items; rows the serving model lacks keep their fresh values. */
    private static float[] idRows(float[] old, float[] fresh, Catalog c, RetrainData data) {
        ServingModel serving = c.model;
        int d = serving.dimE;
        int oldUsers = serving.numUser;
        int newUsers = data.dataset.numUser();
        int warm = data.dataset.numWarmItem();
        System.arraycopy(old, 0, fresh, 0, oldUsers * d);
        for (int i = 0; i < serving.numItem; i++) {
            int to = data.newItemOfOld[i];
            if (i >= serving.numWarmItem && to < warm) {
                System.arraycopy(serving.items, i * d, fresh, (newUsers + to) * d, d); // its encoder output
            } else {
                System.arraycopy(old, (oldUsers + i) * d, fresh, (newUsers + to) * d, d);
            }
        }
        for (int to = 0; to < warm; to++) { // runtime-added items that became warm: their encoded vector
            String id = data.itemIds.get(to);
            int row = c.rowOf(id);
            if (row >= 0 && c.dense(row) >= serving.numItem) {
                c.vector(row, fresh, (newUsers + to) * d);
            }
        }
        return fresh;
    }
}
