package dev.clcrec.cli;

import dev.clcrec.engine.Device;
import dev.clcrec.engine.NativeLibrary;
import dev.clcrec.engine.ProcessGroup;
import dev.clcrec.train.DataParallel;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The data-parallel flags of {@code train}: {@code --nproc N} (N local ranks on a free loopback
 * port), or one rank of a group ({@code --world-size --rank --master HOST:PORT}, or torchrun's
 * WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT environment variables when the flags are absent).
 */
final class DistributedOptions {
    @Option(names = "--nproc", description = "Train on N local processes (ranks) over Gloo/NCCL; 0 = this process only.",
            defaultValue = "0")
    int nproc;
    @Option(names = "--world-size", description = "Ranks in the group (default: $WORLD_SIZE, else 1).")
    Integer worldSize;
    @Option(names = "--rank", description = "This process's rank, 0..world-size-1 (default: $RANK).")
    Integer rank;
    @Option(names = "--master", description = "HOST:PORT of rank 0's rendezvous (default: $MASTER_ADDR:$MASTER_PORT).")
    String master;
    @Option(names = "--sparse-updates", description = "Update only the id-table rows each step touches (row-wise lazy Adam); the default is the reference's dense Adam.")
    boolean sparseUpdates;
    @Option(names = "--replay-ranks", description = "Train in this one process exactly as N ranks would (each rank's "
            + "slice of the global batch on its own, summed in rank order): the parameters and metrics of --nproc N, bit "
            + "for bit (with --rank-order-reduction beyond 2 ranks). Default ${DEFAULT-VALUE}: an ordinary step.",
            defaultValue = "1")
    int replayRanks = 1;
    @Option(names = "--rank-order-reduction", description = "In a group: sum the ranks' gradients in rank order (an "
            + "all-gather; world size / 2 times the all-reduce's traffic), so that --replay-ranks reproduces the run "
            + "exactly with any number of ranks. Two ranks are reproduced without it.")
    boolean rankOrderReduction;
    @Option(names = "--dist-timeout", description = "Seconds to wait for the other ranks, at start and in every step (default ${DEFAULT-VALUE}).",
            defaultValue = "300")
    double timeoutSeconds;

    /** One rank's place in a group, resolved from the flags and the environment. */
    record Rank(int worldSize, int rank, String host, int port, Duration timeout) {}

    /** The local launcher's process count, validated (0: not launching). */
    int launchCount(CommandSpec spec) {
        if (nproc < 0 || nproc > 256) {
            throw new ParameterException(spec.commandLine(), "--nproc " + nproc + ": must be in 0..256");
        }
        if (nproc > 0 && (worldSize != null || rank != null || master != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--nproc starts its own ranks; do not combine it with --world-size, --rank or --master");
        }
        timeout(spec);
        if (replayRanks < 1 || replayRanks > DataParallel.MAX_RANKS) {
            throw new ParameterException(spec.commandLine(), "--replay-ranks " + replayRanks + ": must be in 1.."
                    + DataParallel.MAX_RANKS);
        }
        if (replayRanks > 1 && nproc > 0) {
            throw new ParameterException(spec.commandLine(), "--replay-ranks replays a group in one process; do not "
                    + "combine it with --nproc");
        }
        if (rankOrderReduction && nproc == 1) {
            throw new ParameterException(spec.commandLine(), "--rank-order-reduction orders the sum over ranks; "
                    + "--nproc 1 has one rank");
        }
        return nproc;
    }

    /** How this process trains, over group (null: alone); the flags were checked by {@link #resolve}. */
    DataParallel dataParallel(ProcessGroup group) {
        DataParallel base = group == null ? DataParallel.replaying(replayRanks) : DataParallel.over(group);
        return base.withSparseUpdates(sparseUpdates).withRankOrderReduction(group != null && rankOrderReduction);
    }

    Duration timeout(CommandSpec spec) {
        if (!(timeoutSeconds > 0 && timeoutSeconds <= 86_400)) {
            throw new ParameterException(spec.commandLine(), "--dist-timeout " + timeoutSeconds
                    + ": must be in (0, 86400] seconds");
        }
        return Duration.ofMillis(Math.round(timeoutSeconds * 1000));
    }

    /** This process's rank, or null when it trains alone. */
    Rank resolve(CommandSpec spec, Map<String, String> env) {
        int world = worldSize != null ? worldSize : intFromEnv(spec, env, "WORLD_SIZE", 1);
        if (world < 1 || world > 65_536) {
            throw new ParameterException(spec.commandLine(), "--world-size " + world + ": must be in 1..65536");
        }
        int r = rank != null ? rank : intFromEnv(spec, env, "RANK", 0);
        if (r < 0 || r >= world) {
            throw new ParameterException(spec.commandLine(), "--rank " + r + ": must be in 0.." + (world - 1)
                    + " for world size " + world);
        }
        if (world == 1 && rankOrderReduction) {
            throw new ParameterException(spec.commandLine(), "--rank-order-reduction orders the sum over ranks; "
                    + "use it with --nproc N or --world-size N (N > 1), or replay ranks with --replay-ranks");
        }
        if (world > 1 && replayRanks > 1) {
            throw new ParameterException(spec.commandLine(), "--replay-ranks replays a group in one process; this "
                    + "process is rank " + r + " of a group of " + world);
        }
        if (world == 1) {
            return null;
        }
        String host;
        int port;
        if (master != null) {
            int colon = master.lastIndexOf(':');
            if (colon <= 0 || colon == master.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--master '" + master + "': expected HOST:PORT");
            }
            host = master.substring(0, colon);
            port = parsePort(spec, master.substring(colon + 1), "--master '" + master + "'");
        } else {
            host = env.get("MASTER_ADDR");
            String p = env.get("MASTER_PORT");
            if (host == null || host.isBlank() || p == null || p.isBlank()) {
                throw new ParameterException(spec.commandLine(), "world size " + world
                        + " needs the master's address: --master HOST:PORT, or MASTER_ADDR and MASTER_PORT");
            }
            port = parsePort(spec, p.trim(), "MASTER_PORT '" + p + "'");
        }
        return new Rank(world, r, host, port, timeout(spec));
    }

    /** NCCL for a CUDA model (the device index follows torchrun's LOCAL_RANK), Gloo otherwise. */
    static ProcessGroup.Backend backend(Device device) {
        boolean cuda = device == Device.CUDA || (device == Device.AUTO && NativeLibrary.cudaDeviceCount() > 0);
        return cuda ? ProcessGroup.Backend.NCCL : ProcessGroup.Backend.GLOO;
    }

    private static int parsePort(CommandSpec spec, String text, String what) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), what + ": the port must be a number in 1..65535");
    }

    private static int intFromEnv(CommandSpec spec, Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "environment variable " + name + "='" + v
                    + "' is not a whole number");
        }
    }
}
