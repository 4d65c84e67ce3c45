package dev.clcrec.cli;

import java.util.List;

/**
 * The model flags whose default is ours rather than the reference's argparse default, and why.
 *
 * <p>The reference's defaults are not a model: with {@code --lr_lambda 1} the user-item term has
 * weight 0, so the id embeddings only learn from the regulariser and rankings are near random
 * (the authors always pass every flag). Ours were measured on the bundled data and on real
 * MovieLens, chosen on validation metrics only (BENCHMARKS.md, "Default settings"). A command that
 * passes a flag gets that value; {@code --reference-defaults} gives the flags not passed the
 * reference's values instead, so the authors' own behaviour stays one flag away.
 *
 * <p>The string constants are the {@code @Option} defaults of {@link TrainCommand}. Once the data is
 * read, some of them give way to values that depend on how wide the content is (RICH_* and THIN_*
 * below, applied by {@link TrainCommand#applyContentDefaults}): the plain constants are what rich
 * content trains with, apart from its own RICH_* values.
 */
final class TrainDefaults {
    private TrainDefaults() {}

    static final String LR_LAMBDA = "0.5";
    static final String TEMP_VALUE = "0.5";
    static final String L_R = "0.003";
    static final String REG_WEIGHT = "0.1";
    static final String NUM_NEG = "128";
    static final String NUM_SAMPLE = "0.5";
    static final String DIM_E = "64";
    static final String HYBRID = "rows";
    /**
     * One lowering of the step size (to a tenth, from the best epoch, after 3 epochs without a
     * better one): on CiteULike-t the selected model's validation Recall@10 over all items rose by
     * 3 - 4 % at a few epochs' cost; the reference never lowers it. BENCHMARKS.md, "A lower step
     * size after the plateau".
     */
    static final String LR_DECAYS = "1";

    /**
     * Content at least this many columns wide (all modalities together) is rich: an article's
     * thousands of words and tags rather than a film's genres and year. There 64 dimensions of taste
     * lose detail the content carries, and with tens of thousands of warm items 128 negatives a pair
     * make every step encode nearly the whole catalog. On CiteULike-t (3,000 columns) 128 dimensions
     * beat 64 (256 were no better), and 32 negatives trained as well as 128 at 42 % of the cost an
     * epoch; 64 negatives, run to the end on three seeds, selected 2.2 % higher than 32 on the mean
     * (two seeds of three) at 1.6 times the cost of a step. On MovieLens (95 columns) the wider
     * embedding was worse on validation and on warm items, so thin content has defaults of its own
     * (below). BENCHMARKS.md, "CiteULike-t". A flag given on the command line always wins.
     */
    static final long RICH_CONTENT_COLUMNS = 1000;
    static final int RICH_DIM_E = 128;
    static final int RICH_NUM_NEG = 64;

    /**
     * Thin content (narrower than RICH_CONTENT_COLUMNS: a film's genres, title words and year) takes
     * the paper's temperature (2) and fixed step size (0.001), a lighter regulariser (0.01) and a
     * wider encoder (512). The encoder maps a few dozen columns to an item, so width buys it feature
     * crossings (with the paper's flags on MovieLens, +2.4 % on validation over 3 seeds). At
     * temperature 2 the contrastive gradient is too weak near the start to beat the regulariser's
     * pull at 0.1 (a norm, not a squared norm: its pull does not shrink with the embeddings). That is
     * why the paper's flags sit on a plateau for tens of epochs on the bundled data; at 0.01 they
     * leave it after 2 - 4 epochs. Over 3 seeds this selected 8.0 % higher on validation than the
     * plain defaults on the bundled data and 4.5 % higher on real MovieLens. There it ranks new items
     * as well as the paper's flags, which cannot be defaults because of the bundled data's plateau.
     * BENCHMARKS.md, "Thin content: the paper's temperature, a lighter regulariser, a wider encoder".
     * A flag given on the command line always wins.
     */
    static final String THIN_TEMP_VALUE = "2";
    static final String THIN_L_R = "0.001";
    static final String THIN_REG_WEIGHT = "0.01";
    static final String THIN_HIDDEN_DIM = "512";
    /** The fixed step size trains on: the decay, tried with the paper's flags, selected lower. */
    static final String THIN_LR_DECAYS = "0";
    /**
     * At the paper's small fixed step size validation recall climbs slowly and noisily: with the
     * reference's 7 epochs of patience one MovieLens seed stopped at epoch 28 of a climb that went on
     * (its next epoch was 6 % better).
     */
    static final String THIN_PATIENCE = "15";
    /**
     * At that step size validation cold recall moves by several percent from one epoch to the next
     * while the weights drift slowly; an average of the weights over epochs (decay 0.8) selects as
     * high on validation over all items and is higher on validation cold items (3 seeds on
     * MovieLens: +3.3 %; bundled data: +0.6 %).
     */
    static final String THIN_AVERAGE_WEIGHTS = "0.8";

    /**
     * The trained model misses part of what a user's raw content says about new items: with the
     * user's content-profile scores (dev.clcrec.eval.ProfileEvidence) standardised and added to the
     * model's on cold items, the weight chosen on validation cold Recall@20 among these, real
     * MovieLens's test cold Recall@20 rose 18 % over the thin defaults alone (3 seeds), the bundled
     * data's 3.7 % and CiteULike-t's (rich content: an article's words and tags) 12 %, with the
     * ranking over all items level or higher. Weight 0 is always a candidate, so the choice never
     * ranks below the model on validation; weights above 2 were lower there on MovieLens.
     * BENCHMARKS.md, "Content evidence served" and "Content evidence on rich content".
     */
    static final String CONTENT_FUSION = "0,0.1,0.25,0.5,1,2";
    /**
     * Rich content with at least this many non-zero values per item on average (dense features, as
     * an image's 4,096) does not fuse by default: the evidence was measured on thin content and on
     * bag-of-words and tags (17 non-zeros of 3,000 per article), and its cost, held and computed per
     * non-zero value, would there be that of a second, wider model over every new item.
     */
    static final long DENSE_EVIDENCE_COLUMNS = 1000;

    /** One flag: its name, our default and the reference's. */
    record Flag(String name, String ours, String reference) {}

    /** Every flag whose default differs from the reference's, in the order the help lists them. */
    static final List<Flag> CHANGED = List.of(
            new Flag("--l_r", L_R, "0.001"),
            new Flag("--reg_weight", REG_WEIGHT, "0.1"),
            new Flag("--num_neg", NUM_NEG, "512"),
            new Flag("--lr_lambda", LR_LAMBDA, "1"),
            new Flag("--temp_value", TEMP_VALUE, "1"),
            new Flag("--num_sample", NUM_SAMPLE, "0.5"),
            new Flag("--dim_E", DIM_E, "64"),
            new Flag("--hybrid", HYBRID, "rows"),
            new Flag("--lr-decays", LR_DECAYS, "0"))
            .stream().filter(f -> !f.ours().equals(f.reference())).toList();

    /** "--lr_lambda 1, --temp_value 1, ..." for messages and help. */
    static String describeReference() {
        return String.join(", ", CHANGED.stream().map(f -> f.name() + " " + f.reference()).toList());
    }
}
