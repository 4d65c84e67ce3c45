package dev.clcrec.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train --nproc N}: starts N child JVMs as ranks 0..N-1 of one group whose rendezvous is a
 * free port on the loopback interface (like {@code torchrun --standalone}). Rank 0's output is the
 * run's output (its progress is the global progress: every step is a global step); every rank's
 * error stream is passed on, each line tagged with its rank. When a rank fails, the others are
 * given the collective timeout to fail by themselves (with a message naming the lost rank), then
 * stopped; no child outlives the launcher.
 */
final class LocalLauncher {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private LocalLauncher() {}

    /** @param trainArgs the train command's own arguments, without --nproc */
    static int run(int nproc, List<String> trainArgs, Duration timeout, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        int port = freeLoopbackPort();
        List<Process> ranks = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        Thread reaper = new Thread(() -> ranks.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            for (int r = 0; r < nproc; r++) {
                List<String> command = childCommand(trainArgs, nproc, r, port);
                ProcessBuilder pb = new ProcessBuilder(command);
                for (String v : List.of("WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")) {
                    pb.environment().remove(v);
                }
                pb.environment().put("LOCAL_RANK", Integer.toString(r));
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start rank " + r + " (" + command.getFirst() + "): "
                            + e.getMessage(), e);
                }
                ranks.add(p);
                pumps.add(pump(p.getInputStream(), r == 0 ? out : null, "", "rank-" + r + "-out"));
                pumps.add(pump(p.getErrorStream(), err, "[rank " + r + "] ", "rank-" + r + "-err"));
            }
            return await(ranks, timeout, err);
        } finally {
            for (Process p : ranks) {
                p.destroyForcibly();
            }
            for (Process p : ranks) {
                p.waitFor();
            }
            for (Thread t : pumps) {
                t.join(5_000);
            }
            out.flush();
            err.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    // Waits for every rank; after the first failure, the rest get the timeout plus a grace period.
    private static int await(List<Process> ranks, Duration timeout, PrintWriter err) throws InterruptedException {
        int failedRank = -1;
        int failedCode = 0;
        long deadline = Long.MAX_VALUE;
        while (true) {
            boolean allDone = true;
            for (int r = 0; r < ranks.size(); r++) {
                Process p = ranks.get(r);
                if (p.isAlive()) {
                    allDone = false;
                } else if (p.exitValue() != 0 && failedRank < 0) {
                    failedRank = r;
                    failedCode = p.exitValue();
                    deadline = System.nanoTime() + timeout.plus(GRACE).toNanos();
                }
            }
            if (allDone) {
                break;
            }
            if (System.nanoTime() > deadline) {
                for (int r = 0; r < ranks.size(); r++) {
                    if (ranks.get(r).isAlive()) {
                        err.println("error: rank " + r + " did not stop within the timeout after rank " + failedRank
                                + " failed; stopping it");
                        ranks.get(r).destroyForcibly();
                    }
                }
                break;
            }
            Thread.sleep(50);
        }
        if (failedRank >= 0) {
            err.println("error: rank " + failedRank + " of " + ranks.size() + " failed (exit status " + failedCode
                    + "); the run is incomplete");
            err.flush();
            return 1;
        }
        return 0;
    }

    private static List<String> childCommand(List<String> trainArgs, int nproc, int rank, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("train");
        cmd.addAll(trainArgs);
        cmd.addAll(List.of("--world-size", Integer.toString(nproc), "--rank", Integer.toString(rank),
                "--master", "127.0.0.1:" + port));
        return cmd;
    }

    // Like torchrun --standalone: ask the kernel for a free port, release it, let rank 0 bind it.
    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static Thread pump(InputStream in, PrintWriter to, String prefix, String name) {
        Thread t = Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (to != null) {
                        synchronized (to) {
                            to.println(prefix + line);
                            to.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone: nothing more to copy
            }
        });
        return t;
    }

    /** The train arguments with --nproc and its value removed (both "--nproc N" and "--nproc=N"). */
    static List<String> withoutNproc(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--nproc")) {
                i++;
            } else if (!a.startsWith("--nproc=")) {
                out.add(a);
            }
        }
        return out;
    }
}
