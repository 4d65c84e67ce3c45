package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Reads on several threads while another trains, then a close while they run: every call either
 * completes or fails with IllegalStateException (closed); nothing touches a freed model.
 */
class ConcurrencyTest {
    @Test
    void concurrentUseAndCloseNeverCrash() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            RandomCase c = new RandomCase(3, arena);
            ClcrecModel model = c.model;
            MemorySegment users = Fixtures.longs(arena, new long[] {0, 1, 2});
            MemorySegment items = Fixtures.longs(arena, new long[] {0, 0, 0, 0, 0, 0});
            MemorySegment scores = arena.allocate(4L * 3 * c.numItem);
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean trainer = t == 0;
                threads.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    for (int i = 0; i < 10_000_000; i++) { // until the close is observed
                        try {
                            if (trainer) {
                                model.trainStep(users, 3, items, 2, null, 0);
                            } else {
                                // each thread needs its own output; a confined arena per call
                                try (Arena local = Arena.ofConfined()) {
                                    model.score(users, 3, local.allocate(scores.byteSize()));
                                }
                            }
                            completed.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            if (closed.getMessage().contains("closed")) {
                                refused.incrementAndGet();
                            } else {
                                unexpected.compareAndSet(null, closed);
                            }
                            return;
                        } catch (Throwable other) {
                            unexpected.compareAndSet(null, other);
                        }
                    }
                }));
            }
            started.await();
            Thread.sleep(50);
            model.close();
            for (Thread t : threads) {
                t.join();
            }
            if (unexpected.get() != null) {
                throw new AssertionError("unexpected failure", unexpected.get());
            }
            assertEquals(4, refused.get(), "every thread saw the close as IllegalStateException");
            assertTrue(completed.get() > 0, "calls ran before the close");
        }
    }
}
