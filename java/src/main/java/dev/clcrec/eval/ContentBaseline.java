package dev.clcrec.eval;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.sampling.ItemSets;

/**
 * The content-profile baseline: a user's vector is the mean of its training items' raw content
 * vectors ({@link ContentVectors}), so a score is the mean cosine similarity of an item to the
 * user's training items. On content that is a linear function of taste this is close to the best a
 * model without training can do, which makes it the stronger of the two content-only baselines.
 */
public final class ContentBaseline {
    private ContentBaseline() {}

    public static DotProductRanker ranker(ContentFeatures content, ItemSets train) {
        ContentVectors items = ContentVectors.of(content);
        int width = items.width();
        float[] users = new float[Math.multiplyExact(train.numRows(), width)];
        for (int u = 0; u < train.numRows(); u++) {
            System.arraycopy(items.profile(train.columns(), train.rowStart(u), train.rowEnd(u)), 0, users, u * width,
                    width);
        }
        return new DotProductRanker(users, items.values(), width);
    }
}
