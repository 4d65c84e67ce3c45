package dev.clcrec.data.prepare;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeSplitTest {
    @TempDir
    Path tmp;

    /**
     * 400 interactions at times 1..400 (shuffled in the file): 40 users, 50 items; item k is first
     * used at about time 8k, so the newest items appear only after the 80% cut. Users u36..u39 act
     * only after the cut.
     */
    private Path writeLog(Map<String, Long> timeOf) throws IOException {
        Random r = new Random(5);
        StringBuilder s = new StringBuilder("user,item,rating,timestamp\n");
        Set<String> pairs = new HashSet<>();
        List<String> lines = new java.util.ArrayList<>();
        for (int t = 1; t <= 400; t++) {
            int maxItem = Math.min(49, t / 8);
            String u;
            String i;
            do {
                u = "u" + (t > 320 ? r.nextInt(40) : r.nextInt(36));
                i = "i" + (t % 8 == 0 ? maxItem : r.nextInt(maxItem + 1));
            } while (!pairs.add(u + "," + i));
            lines.add(u + "," + i + ",4," + t);
            timeOf.put(u + "," + i, (long) t);
        }
        java.util.Collections.shuffle(lines, r);
        lines.forEach(l -> s.append(l).append('\n'));
        Path log = tmp.resolve("log.csv");
        Files.writeString(log, s);
        StringBuilder f = new StringBuilder("item,a,b\n");
        for (int k = 0; k < 50; k++) {
            f.append("i").append(k).append(',').append(k).append(",1\n");
        }
        Files.writeString(tmp.resolve("f.csv"), f);
        return log;
    }

    @Test
    void trainsOnTheOldestAndHoldsOutTheNewest() throws IOException {
        Map<String, Long> timeOf = new HashMap<>();
        Path log = writeLog(timeOf);
        Path out = tmp.resolve("out");
        Prepare.Report rep = Prepare.generic(log, List.of(new GenericFiles.FeatureSource("f", tmp.resolve("f.csv"), null)),
                out, PrepareOptions.defaults("t").withSplit(SplitMode.TIME));
        try (Dataset d = Datasets.open(out)) {
            IdMapping ids = d.ids().orElseThrow();
            long maxTrain = Long.MIN_VALUE;
            long minVal = Long.MAX_VALUE;
            long maxVal = Long.MIN_VALUE;
            long minTest = Long.MAX_VALUE;
            Set<Integer> trainedItems = new HashSet<>();
            for (int u = 0; u < d.numUser(); u++) {
                for (int i : d.train().row(u)) {
                    maxTrain = Math.max(maxTrain, timeOf.get(ids.externalUser(u) + "," + ids.itemIds().get(i)));
                    trainedItems.add(i);
                    assertFalse(d.isCold(i), "a cold item trains");
                }
                Interactions val = d.heldOut(Split.VAL, Setting.ALL);
                for (int i : val.row(u)) {
                    long t = timeOf.get(ids.externalUser(u) + "," + ids.itemIds().get(i));
                    minVal = Math.min(minVal, t);
                    maxVal = Math.max(maxVal, t);
                }
                for (int i : d.heldOut(Split.TEST, Setting.ALL).row(u)) {
                    minTest = Math.min(minTest, timeOf.get(ids.externalUser(u) + "," + ids.itemIds().get(i)));
                }
            }
            // the first 320 timestamps train, 321..360 validate, 361..400 test (kept users only)
            assertEquals(320, maxTrain);
            assertTrue(minVal > 320 && maxVal <= 360, minVal + ".." + maxVal);
            assertTrue(minTest > 360, "test from " + minTest);
            assertEquals(320, rep.train());
            // every warm item trained; the cold items are exactly those first seen after time 320
            assertEquals(d.numWarmItem(), trainedItems.size());
            for (int i = 0; i < d.numItem(); i++) {
                String item = ids.itemIds().get(i);
                long first = timeOf.entrySet().stream().filter(e -> e.getKey().endsWith("," + item))
                        .mapToLong(Map.Entry::getValue).min().orElseThrow();
                assertEquals(first > 320, d.isCold(i), item + " first seen at " + first);
            }
            assertTrue(d.numColdItem() > 0, "the newest items are cold");
            assertTrue(d.heldOut(Split.TEST, Setting.COLD).size() > 0, "cold items are tested");
            // users first seen after the cut are dropped: only u0..u35 could have trained
            assertTrue(d.numUser() <= 36);
            for (int u = 0; u < d.numUser(); u++) {
                assertTrue(Integer.parseInt(ids.externalUser(u).substring(1)) < 36, ids.externalUser(u));
            }
            assertEquals(rep.numUser(), d.numUser());
        }
    }

    @Test
    void equalTimestampsNeverStraddleACut() {
        // times: 1 1 1 2 2 2 2 2 3 3 -> the 60% cut (position 6) falls inside the run of 2s: all 2s are held out
        int[] users = {0, 1, 2, 0, 1, 2, 3, 0, 1, 3};
        int[] items = {0, 1, 2, 3, 4, 5, 0, 6, 7, 1};
        long[] times = {1, 1, 1, 2, 2, 2, 2, 2, 3, 3};
        Splitter.Result s = TimeSplitter.split(users, items, times, 4, 8, 0.2, 0.2);
        assertEquals(3, s.train().size());
        assertEquals(3, s.numWarmItem()); // items 0, 1, 2
        assertEquals(3, s.numUser());     // user 3 acts only after the cut
        assertEquals(1, s.droppedUsers());
        assertEquals(5, s.val().size() + s.test().size()); // user 0/1/2's pairs at times 2 and 3
    }

    @Test
    void aMissingTimestampIsRefusedNamingTheFlag() throws IOException {
        Files.writeString(tmp.resolve("log.csv"), "u1,i1,4,10\nu2,i1,4\n");
        Files.writeString(tmp.resolve("f.csv"), "item,a\ni1,1\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Prepare.generic(
                tmp.resolve("log.csv"), List.of(new GenericFiles.FeatureSource("f", tmp.resolve("f.csv"), null)),
                tmp.resolve("o"), PrepareOptions.defaults("x").withSplit(SplitMode.TIME)));
        assertTrue(e.getMessage().contains("--split time: 1 of 2 interactions have no timestamp"), e.getMessage());
        e = assertThrows(DatasetFormatException.class, () -> Prepare.generic(
                tmp.resolve("log.csv"), List.of(new GenericFiles.FeatureSource("f", tmp.resolve("f.csv"), null)),
                tmp.resolve("o"), PrepareOptions.defaults("x").withSplit(SplitMode.TIME_REPLAY)));
        assertTrue(e.getMessage().contains("--split time-replay: 1 of 2 interactions have no timestamp"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o").resolve(AfterCutLog.DIR)), "nothing written for a refused log");
        Files.writeString(tmp.resolve("log.csv"), "u1,i1,4,soon\n");
        e = assertThrows(DatasetFormatException.class, () -> Prepare.generic(tmp.resolve("log.csv"),
                List.of(new GenericFiles.FeatureSource("f", tmp.resolve("f.csv"), null)), tmp.resolve("o"),
                PrepareOptions.defaults("x").withSplit(SplitMode.TIME)));
        assertTrue(e.getMessage().contains("line 1, field 4 (timestamp): 'soon' is not an integer"), e.getMessage());
    }

    @Test
    void theCommandLineTakesSplitAndRefusesAColdFractionWithTime() throws IOException {
        Path log = writeLog(new HashMap<>());
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new PrepareCommand()).setErr(new java.io.PrintWriter(err, true));
        int rc = cl.execute(log.toString(), "-o", tmp.resolve("c1").toString(), "--features", "f=" + tmp.resolve("f.csv"),
                "--split", "time", "--cold-fraction", "0.3");
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("--cold-fraction applies to --split random only"), err.toString());
        rc = cl.execute(log.toString(), "-o", tmp.resolve("c2").toString(), "--features", "f=" + tmp.resolve("f.csv"),
                "--split", "sideways");
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("--split: 'sideways' is not random, time or time-replay"), err.toString());
        cl = new CommandLine(new PrepareCommand());
        assertEquals(0, cl.execute(log.toString(), "-o", tmp.resolve("c3").toString(), "--features",
                "f=" + tmp.resolve("f.csv"), "--split", "TIME"));
        try (Dataset d = Datasets.open(tmp.resolve("c3"))) {
            assertEquals(320, d.train().size());
        }
        assertFalse(Files.exists(tmp.resolve("c3").resolve(AfterCutLog.DIR)), "only time-replay writes after-cut/");
        assertEquals(0, new CommandLine(new PrepareCommand()).execute(log.toString(), "-o", tmp.resolve("c4").toString(),
                "--features", "f=" + tmp.resolve("f.csv"), "--split", "time-replay"));
        assertTrue(Files.exists(tmp.resolve("c4").resolve(AfterCutLog.DIR).resolve(AfterCutLog.INTERACTIONS)));
    }

    @Test
    void timeReplayKeepsWhatIsNewAfterTheCutOutOfTheDatasetAndWritesItForReplay() throws IOException {
        Map<String, Long> timeOf = new HashMap<>();
        Path log = writeLog(timeOf);
        Path out = tmp.resolve("replay");
        Prepare.Report rep = Prepare.generic(log, List.of(new GenericFiles.FeatureSource("f", tmp.resolve("f.csv"), null)),
                out, PrepareOptions.defaults("t").withSplit(SplitMode.TIME_REPLAY));
        Set<String> datasetUsers = new HashSet<>();
        Set<String> datasetItems = new HashSet<>();
        try (Dataset d = Datasets.open(out)) {
            IdMapping ids = d.ids().orElseThrow();
            assertEquals(d.numItem(), d.numWarmItem(), "no cold item: the new items are left out");
            assertEquals(320, d.train().size());
            for (int i = 0; i < d.numItem(); i++) {
                datasetItems.add(ids.itemIds().get(i));
            }
            for (int u = 0; u < d.numUser(); u++) {
                datasetUsers.add(ids.externalUser(u));
            }
            // every dataset item and user was seen before the cut (time 320)
            for (String item : datasetItems) {
                assertTrue(firstSeen(timeOf, "," + item, false) <= 320, item);
            }
            for (String user : datasetUsers) {
                assertTrue(firstSeen(timeOf, user + ",", true) <= 320, user);
            }
            // the dataset's held-out pairs are exactly the after-cut pairs of its users and items
            List<String> rows = Files.readAllLines(out.resolve(AfterCutLog.DIR).resolve(AfterCutLog.INTERACTIONS));
            assertEquals("user,item,timestamp,part", rows.get(0));
            assertEquals(80, rows.size() - 1, "times 321..400");
            long previous = 0;
            long heldOutKnown = 0;
            Set<String> newUsers = new HashSet<>();
            Set<String> newItems = new HashSet<>();
            for (String row : rows.subList(1, rows.size())) {
                String[] p = row.split(",");
                long t = Long.parseLong(p[2]);
                assertEquals(timeOf.get(p[0] + "," + p[1]), t, row);
                assertTrue(t > previous, "timestamp order: " + row);
                previous = t;
                assertEquals(t <= 360 ? "val" : "test", p[3], row);
                if (datasetUsers.contains(p[0]) && datasetItems.contains(p[1])) {
                    heldOutKnown++;
                }
                if (!datasetUsers.contains(p[0])) {
                    newUsers.add(p[0]);
                }
                if (!datasetItems.contains(p[1])) {
                    newItems.add(p[1]);
                }
            }
            assertEquals(heldOutKnown, rep.val() + rep.test());
            assertEquals(heldOutKnown, d.heldOut(Split.VAL, Setting.ALL).size() + d.heldOut(Split.TEST, Setting.ALL).size());
            assertFalse(newUsers.isEmpty(), "users acting only after the cut are in the replay log");
            assertFalse(newItems.isEmpty(), "items first seen after the cut are in the replay log");
            // their content, one row each, the values of f.csv (item k -> k, 1)
            List<String> feats = Files.readAllLines(out.resolve(AfterCutLog.DIR).resolve(AfterCutLog.featureFile("f")));
            assertEquals("item,v0,v1", feats.get(0));
            Set<String> featured = new HashSet<>();
            for (String row : feats.subList(1, feats.size())) {
                String[] p = row.split(",");
                featured.add(p[0]);
                assertEquals(Float.parseFloat(p[0].substring(1)), Float.parseFloat(p[1]), row);
                assertEquals(1f, Float.parseFloat(p[2]), row);
            }
            assertEquals(newItems, featured);
        }
    }

    private static long firstSeen(Map<String, Long> timeOf, String part, boolean prefix) {
        return timeOf.entrySet().stream().filter(e -> prefix ? e.getKey().startsWith(part) : e.getKey().endsWith(part))
                .mapToLong(Map.Entry::getValue).min().orElseThrow();
    }
}
