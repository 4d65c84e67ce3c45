package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class StoppingRuleTest {
    @Test
    void stopsAtTheSeventhEpochWithoutImprovement() {
        StoppingRule r = new StoppingRule(7);
        assertTrue(r.record(0, 0.10));
        assertTrue(r.record(1, 0.20));
        for (int e = 2; e <= 7; e++) {
            assertFalse(r.record(e, e % 2 == 0 ? 0.20 : 0.15), "a tie is not an improvement");
            assertFalse(r.shouldStop(), "stopped early at epoch " + e);
        }
        assertFalse(r.record(8, 0.19));
        assertTrue(r.shouldStop());
        assertEquals(1, r.bestEpoch());
        assertEquals(0.20, r.bestRecall());
    }

    @Test
    void improvementResetsTheCount() {
        StoppingRule r = new StoppingRule(2);
        r.record(0, 0.1);
        r.record(1, 0.05);
        assertTrue(r.record(2, 0.3));
        assertEquals(0, r.epochsWithoutImprovement());
        r.record(3, 0.0);
        assertFalse(r.shouldStop());
        r.record(4, 0.0);
        assertTrue(r.shouldStop());
        assertThrows(IllegalArgumentException.class, () -> new StoppingRule(0));
    }
}
