package dev.clcrec.eval;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.TestDevice;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference's ranking fixture through the native top-K: same metrics as the authors' evaluation. */
class NativeRankingFixtureTest {
    @Test
    void nativeTopKReproducesReferenceMetrics() throws Exception {
        RankingFixtureTest.Fixture f = RankingFixtureTest.load();
        try (Arena arena = Arena.ofConfined()) {
            // every item "warm" inside the model, so its ranking representation is exactly result.npy
            var feat = arena.allocate(ValueLayout.JAVA_FLOAT, f.numItem());
            ModelConfig cfg = ModelConfig.defaults(f.numUser(), f.numItem(), f.numItem()).withDimE(f.dim())
                    .withDevice(TestDevice.get()).withNumThreads(1);
            try (ClcrecModel m = ClcrecModel.create(cfg,
                    new ContentFeatures(List.of(new FeatureMatrix("v", feat, f.numItem(), 1))))) {
                m.setParameter("id_embedding", f.result());
                try (Evaluator ev = new Evaluator(f.numItem(), f.numWarm(), f.train(), f.heldOutAsVal(),
                        new int[] {f.k()}, 7)) {
                    RankingFixtureTest.assertMatchesReference(f, ev.evaluate(new ModelRanker(m)));
                }
            }
        }
    }
}
