package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.bundle.BundleReader;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.train.ContentFusionChoice;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.SyntheticData;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training with candidate fusion weights: the weight chosen is the best candidate on validation cold
 * Recall@K (0 always among them), the result's best evaluation is the model as served, the
 * Recommender evaluates and serves at that weight, and its bundle carries the weight.
 */
class TrainedContentFusionTest {
    @TempDir static Path dir;
    static Dataset data;
    static Recommender rec;
    static final double[] WEIGHTS = {0.5, 2, 8};

    @BeforeAll
    static void train() throws Exception {
        data = SyntheticData.create(120, 160, 120, 4, 12, 7, true);
        RunConfig c = ServingFixtures.quickConfig(dir.resolve("best.ckpt"), 3, 2, 10, 20).withFusionWeights(WEIGHTS);
        rec = Recommender.train(data, c, TrainingListener.NONE);
    }

    @AfterAll
    static void close() {
        rec.close();
        data.close();
    }

    @Test
    void theBestCandidateOnValidationIsChosenAndServed() {
        TrainingResult r = rec.training().orElseThrow();
        ContentFusionChoice.Result f = r.fusion();
        assertNotNull(f);
        assertEquals("val:cold:recall@20", f.criterion().toString(), "the run's metric, cold items, deepest cutoff");
        assertEquals(4, f.tried().size(), "0 and the three candidates");
        assertEquals(0.0, f.tried().getFirst().weight());
        double best = f.tried().stream().mapToDouble(ContentFusionChoice.Candidate::value).max().orElseThrow();
        double chosenValue = f.tried().stream().filter(t -> t.weight() == f.weight()).findFirst().orElseThrow().value();
        assertEquals(best, chosenValue, 0.0);
        assertTrue(f.weight() > 0, "on planted topics the content profile helps new items: " + f.describe());
        assertEquals(f.weight(), rec.contentFusionWeight());
        assertEquals(f.weight(), r.fusionWeight());
        assertEquals(chosenValue, f.criterion().value(r.best().eval()), 0.0, "the best epoch reports the served model");
        assertEquals(f.tried().getFirst().value(), f.criterion().value(f.alone()), 0.0, "the model alone is weight 0");
        EvalResult served = rec.evaluate(new int[] {10, 20}, 100);
        for (Split split : new Split[] {Split.VAL, Split.TEST}) {
            for (Setting setting : Setting.values()) {
                assertEquals(r.best().eval().get(split, setting).at(20).get(dev.clcrec.eval.Metric.RECALL),
                        served.get(split, setting).at(20).get(dev.clcrec.eval.Metric.RECALL), 1e-9,
                        split + " " + setting);
            }
        }
    }

    @Test
    void theBundleCarriesTheWeight() {
        Path bundle = dir.resolve("bundle");
        rec.saveBundle(bundle);
        assertEquals(rec.contentFusionWeight(), BundleReader.verify(bundle).contentFusion().weight());
        try (Recommender opened = Recommender.open(bundle)) {
            assertEquals(rec.contentFusionWeight(), opened.contentFusionWeight());
            for (int u = 0; u < 20; u++) {
                assertEquals(rec.recommend("u" + u, 10, ItemFilter.ALL), opened.recommend("u" + u, 10, ItemFilter.ALL));
            }
        }
    }
}
