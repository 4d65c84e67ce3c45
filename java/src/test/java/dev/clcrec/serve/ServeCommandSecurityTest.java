package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.cli.Main;
import dev.clcrec.data.Dataset;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clcrec serve}'s access and TLS flags: misconfigurations are refused before the model loads,
 * naming the flag or file; a real process serves HTTPS with a token from a file that never shows in
 * its command line.
 */
class ServeCommandSecurityTest {
    static final String TOKEN = "file-token-5b2d8e7c1f09a4";
    @TempDir Path dir;
    @TempDir static Path shared;
    static TestCerts certs; // made by keytool on first use: a few seconds

    static synchronized TestCerts certs() throws Exception {
        if (certs == null) {
            certs = TestCerts.create(shared.resolve("tls"), "server");
        }
        return certs;
    }

    record Run(int code, String out, String err) {}

    static Run serve(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    Path secret(String name, String content, String perms) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    /** A usage error (exit 2) whose message has every one of {@code parts}, and no stack trace. */
    static void assertRefused(Run r, String... parts) {
        assertEquals(2, r.code(), r.out() + r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + p + "' in: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains(TOKEN), "the token is never echoed: " + r.err());
    }

    @Test
    void withoutATokenServeRefusesToStartUnlessToldToServeUnauthenticated() {
        assumeTrue(System.getenv("CLCREC_TOKEN") == null, "CLCREC_TOKEN is set in this environment");
        String model = dir.resolve("no-model-needed").toString(); // refused before the model is opened
        assertRefused(serve("--model", model, "--port", "0"), "no access token", "CLCREC_TOKEN", "--token-file",
                "--allow-unauthenticated");
        assertRefused(serve("--model", model, "--allow-unauthenticated", "--protect-reads"), "--protect-reads");
    }

    @Test
    void aTokenIsNeverAFlagValue() {
        Run r = serve("--model", "m", "--token", TOKEN);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option") && r.err().contains("'--token'"), r.err());
        Run help = serve("--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--token-file", "CLCREC_TOKEN", "--protect-reads", "--allow-unauthenticated",
                "--bundle-root", "--tls-cert", "--tls-key", "--tls-keystore", "--tls-password-file")) {
            assertTrue(help.out().contains(flag), flag + " in --help:\n" + help.out());
        }
        assertFalse(help.out().matches("(?s).*--token[ =].*"), help.out());
    }

    @Test
    void tokenFileProblemsNameTheFile() throws Exception {
        assumeTrue(System.getenv("CLCREC_TOKEN") == null, "CLCREC_TOKEN is set in this environment");
        Path world = secret("world", TOKEN, "rw-r--r--");
        assertRefused(serve("--model", "m", "--token-file", world.toString()), world.toString(), "readable by every user");
        Path absent = dir.resolve("absent");
        assertRefused(serve("--model", "m", "--token-file", absent.toString()), absent.toString(), "does not exist");
        Path empty = secret("empty", "\n", "rw-------");
        assertRefused(serve("--model", "m", "--token-file", empty.toString()), empty.toString(), "is empty");
        Path weak = secret("weak", "hunter2\n", "rw-------");
        assertRefused(serve("--model", "m", "--token-file", weak.toString()), weak.toString(), "at least 16");
        Path good = secret("good", TOKEN + "\n", "r--------");
        assertRefused(serve("--model", "m", "--token-file", good.toString(), "--allow-unauthenticated"),
                "--allow-unauthenticated contradicts");
        Path noRoot = dir.resolve("no-such-root");
        assertRefused(serve("--model", "m", "--token-file", good.toString(), "--bundle-root", noRoot.toString()),
                "--bundle-root " + noRoot, "not an existing folder");
    }

    @Test
    void tlsFlagProblemsAreRefusedBeforeTheModelLoads() throws Exception {
        assumeTrue(System.getenv("CLCREC_TOKEN") == null && System.getenv("CLCREC_TLS_PASSWORD") == null);
        Path token = secret("token", TOKEN, "rw-------");
        TestCerts certs = certs();
        String[] base = {"--model", "m", "--token-file", token.toString()};
        assertRefused(serve(concat(base, "--tls-cert", certs.certPem().toString())), "--tls-cert needs --tls-key");
        assertRefused(serve(concat(base, "--tls-keystore", certs.keystore().toString())), "--tls-keystore needs its "
                + "password");
        assertRefused(serve(concat(base, "--tls-keystore", certs.keystore().toString(), "--tls-cert",
                certs.certPem().toString(), "--tls-key", certs.keyPem().toString())), "use one");
        Path wrong = secret("wrong-password", "not-the-password", "rw-------");
        assertRefused(serve(concat(base, "--tls-keystore", certs.keystore().toString(), "--tls-password-file",
                wrong.toString())), certs.keystore().toString(), "password");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** A real process: HTTPS from a keystore, the token from a file, refusals as JSON, and a clean SIGTERM. */
    @Test
    void aRealServerServesHttpsWithATokenFromAFile() throws Exception {
        Path root = Files.createDirectories(dir.resolve("bundles"));
        Path bundle = root.resolve("live");
        String item;
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 1).close();
            var it = ServingFixtures.copyOf(data, 110, "tls-item");
            item = new ObjectMapper().writeValueAsString(Map.of("id", it.id(), "features", it.features()));
        }
        Path token = secret("token", TOKEN + "\n", "rw-------");
        TestCerts certs = certs();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("clcrec.library") != null) {
            cmd.add("-Dclcrec.library=" + System.getProperty("clcrec.library"));
        }
        cmd.addAll(List.of("dev.clcrec.cli.Main", "serve", "--model", bundle.toString(), "--port", "0",
                "--token-file", token.toString(), "--tls-keystore", certs.keystore().toString(),
                "--tls-password-file", certs.passwordFile().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("CLCREC_TOKEN");
        pb.environment().remove("CLCREC_TLS_PASSWORD");
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            Pattern serving = Pattern.compile("^serving .* on https://127\\.0\\.0\\.1:(\\d+)$");
            StringBuilder log = new StringBuilder();
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = serving.matcher(line);
                if (m.matches()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, "server did not start:\n" + log);
            // What `ps` shows: file names, never the token or the keystore password.
            Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline"); // what ps reads
            String shown = Files.exists(cmdline) ? Files.readString(cmdline).replace('\0', ' ')
                    : p.info().commandLine().orElse("");
            assertTrue(shown.contains("--token-file"), shown);
            assertFalse(shown.contains(TOKEN) || shown.contains(certs.password()), shown);

            HttpClient https = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
            String base = "https://127.0.0.1:" + port;
            assertEquals(200, https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpRequest.Builder add = HttpRequest.newBuilder(URI.create(base + "/v1/items"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(item));
            HttpResponse<String> refused = https.send(add.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("\"code\":\"unauthorized\""), refused.body());
            HttpResponse<String> created = https.send(add.header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            HttpResponse<String> outside = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/reload"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"bundle\": \"" + dir + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, outside.statusCode(), outside.body());
            HttpResponse<String> reloaded = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/reload"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"bundle\": \"live\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reloaded.statusCode(), reloaded.body()); // the default root: --model's parent

            p.toHandle().destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not exit after SIGTERM");
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), log + rest);
            assertFalse((log + rest).contains(TOKEN));
        } finally {
            p.destroyForcibly();
        }
    }
}
