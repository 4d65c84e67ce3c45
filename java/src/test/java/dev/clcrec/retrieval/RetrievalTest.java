package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetrievalTest {
    @Test
    void autoUsesTheIndexFromTheMeasuredSizeOn() {
        assertFalse(Retrieval.AUTO.usesIndex(Retrieval.AUTO_MIN_ROWS - 1));
        assertTrue(Retrieval.AUTO.usesIndex(Retrieval.AUTO_MIN_ROWS));
        assertFalse(Retrieval.EXACT.usesIndex(10_000_000));
        assertTrue(Retrieval.HNSW.usesIndex(1));
    }

    @Test
    void parsesTheOptionValuesAndNamesTheOptionOnError() {
        assertEquals(Retrieval.HNSW, Retrieval.parse("hnsw", "--retrieval"));
        assertEquals(Retrieval.AUTO, Retrieval.parse(" Auto ", "--retrieval"));
        assertEquals("exact", Retrieval.EXACT.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> Retrieval.parse("ann", "--retrieval"));
        assertEquals("--retrieval must be one of auto, exact, hnsw; got ann", e.getMessage());
    }
}
