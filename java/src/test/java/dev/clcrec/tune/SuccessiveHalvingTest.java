package dev.clcrec.tune;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {
    @Test
    void rungsAreMinEpochsTimesPowersOfEta() {
        SuccessiveHalving h = new SuccessiveHalving(2, 3);
        for (int e = 1; e <= 60; e++) {
            boolean want = e == 2 || e == 6 || e == 18 || e == 54;
            assertEquals(want, h.isRung(e), "epoch " + e);
        }
    }

    @Test
    void onlyTheTopThirdGoesOnAtARung() {
        SuccessiveHalving h = new SuccessiveHalving(1, 3);
        assertNull(h.arrive(1, 0.30), "first arrival: top 1 of 1");
        assertNotNull(h.arrive(1, 0.20), "second: 0.20 is not in the top ceil(2/3)=1 of {0.30, 0.20}");
        assertNull(h.arrive(1, 0.40), "0.40 is the best of three");
        // four recorded: top ceil(4/3) = 2 go on; 0.35 ranks 2nd
        assertNull(h.arrive(1, 0.35));
        // five recorded {0.30,0.20,0.40,0.35,0.10}: top 2; 0.10 ranks 5th
        String why = h.arrive(1, 0.10);
        assertNotNull(why);
        assertTrue(why.contains("ranks 5 of 5") && why.contains("top 2"), why);
        assertNull(h.arrive(2, 0.0), "epoch 2 is not a rung");
        assertNull(h.arrive(3, 0.0), "the first arrival at the next rung goes on");
    }

    @Test
    void replayRebuildsTheRungsAsIfTheTrialsHadArrived() {
        SuccessiveHalving live = new SuccessiveHalving(1, 2);
        SuccessiveHalving replayed = new SuccessiveHalving(1, 2);
        List<Double> a = List.of(0.1, 0.2, 0.3, 0.3, 0.4);
        List<Double> b = List.of(0.2, 0.25);
        for (int e = 1; e <= a.size(); e++) {
            live.arrive(e, a.get(e - 1));
        }
        for (int e = 1; e <= b.size(); e++) {
            live.arrive(e, b.get(e - 1));
        }
        replayed.replay(a);
        replayed.replay(b);
        assertEquals(live.arrive(2, 0.22), replayed.arrive(2, 0.22));
        assertEquals(live.arrive(4, 0.35), replayed.arrive(4, 0.35));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(1, 1));
    }
}
