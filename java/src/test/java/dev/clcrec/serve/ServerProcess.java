package dev.clcrec.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code clcrec serve} as a real child process on a free port, for tests that kill and restart it. */
public final class ServerProcess implements AutoCloseable {
    /** The bearer token every server started here requires for writes (given in CLCREC_TOKEN, as in production). */
    public static final String TOKEN = "test-token-0123456789abcdef";

    private static final Pattern SERVING = Pattern.compile("^serving .* on https?://127\\.0\\.0\\.1:(\\d+)$");

    public final Process process;
    public final int port;
    final StringBuilder log = new StringBuilder();

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code serve --port 0 ARGS} and waits until it listens (or fails, with its output). */
    public static ServerProcess start(List<String> serveArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("clcrec.library") != null) {
            cmd.add("-Dclcrec.library=" + System.getProperty("clcrec.library"));
        }
        cmd.addAll(List.of("dev.clcrec.cli.Main", "serve", "--port", "0"));
        cmd.addAll(serveArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CLCREC_TOKEN", TOKEN);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        int port = -1;
        for (String line; port < 0 && (line = out.readLine()) != null; ) {
            log.append(line).append('\n');
            Matcher m = SERVING.matcher(line);
            if (m.matches()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        if (port < 0) {
            p.destroyForcibly();
            throw new IllegalStateException("server did not start:\n" + log);
        }
        ServerProcess s = new ServerProcess(p, port);
        s.log.append(log);
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (s.log) {
                        s.log.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
        return s;
    }

    public String output() {
        synchronized (log) {
            return log.toString();
        }
    }

    /** SIGKILL: no shutdown hook, no drain, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
