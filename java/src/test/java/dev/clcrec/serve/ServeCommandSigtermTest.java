package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clcrec serve} as a real process, its token from {@code CLCREC_TOKEN}: SIGTERM lets a request in
 * flight finish, then exits 0.
 */
class ServeCommandSigtermTest {
    static final String TOKEN = "env-token-c41d7f2e9a0b36";

    @Test
    void sigtermDrainsTheRequestInFlightAndExitsZero(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        String body;
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 1).close();
            var item = ServingFixtures.copyOf(data, 110, "late-item");
            body = new ObjectMapper().writeValueAsString(Map.of("id", item.id(), "features", item.features()));
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("clcrec.library") != null) {
            cmd.add("-Dclcrec.library=" + System.getProperty("clcrec.library"));
        }
        cmd.addAll(List.of("dev.clcrec.cli.Main", "serve", "--model", bundle.toString(), "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CLCREC_TOKEN", TOKEN);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            Pattern serving = Pattern.compile("^serving .* on http://127\\.0\\.0\\.1:(\\d+)$");
            StringBuilder log = new StringBuilder();
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = serving.matcher(line);
                if (m.matches()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, "server did not start:\n" + log);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket("127.0.0.1", port)) { // the token is required, and taken from the environment
                s.getOutputStream().write(("POST /v1/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                        + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                assertEquals("HTTP/1.1 401 Unauthorized", new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream o = s.getOutputStream();
                o.write(("POST /v1/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + TOKEN + "\r\n"
                        + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                o.write(bytes, 0, bytes.length / 2);
                o.flush();
                Thread.sleep(500); // the handler is now reading the body
                p.toHandle().destroy(); // SIGTERM
                Thread.sleep(500);
                assertTrue(p.isAlive(), "exited with a request in flight");
                o.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                o.flush();
                String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertEquals("HTTP/1.1 201 Created", status);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not exit after SIGTERM");
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), log + rest);
            assertTrue(rest.contains("drained"), rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
