package dev.clcrec.cli;

import dev.clcrec.serve.AccessControl;
import dev.clcrec.serve.SecretFiles;
import dev.clcrec.serve.ServerTls;
import io.helidon.common.tls.Tls;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags of {@code clcrec serve} that decide who may do what and how the connection is protected.
 * Secrets (the access token, a TLS password) come from a file or the environment only: a flag's value is
 * visible to every local user in {@code ps}.
 */
final class ServeSecurityOptions {
    static final String TOKEN_ENV = "CLCREC_TOKEN";
    static final String TLS_PASSWORD_ENV = "CLCREC_TLS_PASSWORD";

    @Option(names = "--token-file", paramLabel = "FILE", description = {"File holding the access token (one line, "
            + "at least 16 visible ASCII characters, e.g. from openssl rand -hex 32; not readable by other users). "
            + "Or set " + TOKEN_ENV + ". Writes (any method but GET/HEAD/OPTIONS) and /v1/admin/* then need "
            + "'Authorization: Bearer <token>'. Without a token serve refuses to start unless "
            + "--allow-unauthenticated."})
    Path tokenFile;
    @Option(names = "--protect-reads", description = "Require the token for reads too (recommendations, /health, /metrics).")
    boolean protectReads;
    @Option(names = "--allow-unauthenticated", description = "Serve without a token: anyone who reaches the port can "
            + "add, remove and reload. For a machine no one else can reach.")
    boolean allowUnauthenticated;
    @Option(names = "--bundle-root", paramLabel = "DIR", description = "POST /v1/admin/reload may only load bundles "
            + "under this folder, named relative to it (default: the parent folder of --model).")
    Path bundleRoot;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for HTTPS (with --tls-key).")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for HTTPS: PKCS#8 (RSA or EC; "
            + "encrypted with --tls-password-file or " + TLS_PASSWORD_ENV + ") or PKCS#1 RSA.")
    Path tlsKey;
    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "PKCS#12 keystore with the one key and "
            + "certificate chain for HTTPS; its password from --tls-password-file or " + TLS_PASSWORD_ENV + ".")
    Path tlsKeystore;
    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "File holding the password of "
            + "--tls-keystore or of an encrypted --tls-key (or set " + TLS_PASSWORD_ENV + ").")
    Path tlsPasswordFile;

    /** The access policy, from the token file or the environment. Usage errors name the flag or variable. */
    AccessControl access(Map<String, String> env, String host, PrintWriter err) {
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && tokenFile != null) {
            throw new IllegalArgumentException("both --token-file and " + TOKEN_ENV + " are set; use one");
        }
        if (fromEnv == null && tokenFile == null) {
            if (!allowUnauthenticated) {
                throw new IllegalArgumentException("no access token: set " + TOKEN_ENV + " or pass --token-file FILE "
                        + "(writes and /v1/admin/* then need it), or pass --allow-unauthenticated to let anyone who "
                        + "reaches the port change the catalog");
            }
            if (protectReads) {
                throw new IllegalArgumentException("--protect-reads needs an access token (--token-file or " + TOKEN_ENV
                        + ")");
            }
            if (!isLoopback(host)) {
                err.println("warning: --allow-unauthenticated on " + host + ": anyone who reaches this address can "
                        + "add, remove and reload");
                err.flush();
            }
            return AccessControl.unauthenticated();
        }
        if (allowUnauthenticated) {
            throw new IllegalArgumentException("--allow-unauthenticated contradicts the access token from "
                    + (tokenFile != null ? "--token-file" : TOKEN_ENV) + "; drop one");
        }
        String token;
        String source;
        if (tokenFile != null) {
            token = SecretFiles.read(tokenFile, "--token-file", w -> {
                err.println("warning: " + w);
                err.flush();
            });
            source = "--token-file " + tokenFile;
        } else {
            if (fromEnv.isEmpty()) {
                throw new IllegalArgumentException(TOKEN_ENV + " is set but empty");
            }
            token = fromEnv;
            source = TOKEN_ENV;
        }
        try {
            return AccessControl.bearerToken(token, protectReads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    /** Refuses a --bundle-root that is not an existing folder (the server checks the rest: links, the file system root). */
    void checkBundleRoot() {
        if (bundleRoot != null && !java.nio.file.Files.isDirectory(bundleRoot)) {
            throw new IllegalArgumentException("--bundle-root " + bundleRoot + " is not an existing folder");
        }
    }

    /** Helidon TLS from the flags, or null for plain HTTP. */
    Tls tls(Map<String, String> env, PrintWriter err) {
        boolean pem = tlsCert != null || tlsKey != null;
        if (pem && tlsKeystore != null) {
            throw new IllegalArgumentException("--tls-keystore and --tls-cert/--tls-key are two ways to give the same "
                    + "key; use one");
        }
        if (pem && (tlsCert == null || tlsKey == null)) {
            throw new IllegalArgumentException(tlsCert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        String fromEnv = env.get(TLS_PASSWORD_ENV);
        if (fromEnv != null && tlsPasswordFile != null) {
            throw new IllegalArgumentException("both --tls-password-file and " + TLS_PASSWORD_ENV + " are set; use one");
        }
        char[] password = null;
        if (tlsPasswordFile != null) {
            password = SecretFiles.read(tlsPasswordFile, "--tls-password-file", w -> {
                err.println("warning: " + w);
                err.flush();
            }).toCharArray();
        } else if (fromEnv != null) {
            if (fromEnv.isEmpty()) {
                throw new IllegalArgumentException(TLS_PASSWORD_ENV + " is set but empty");
            }
            password = fromEnv.toCharArray();
        }
        if (!pem && tlsKeystore == null) {
            if (tlsPasswordFile != null) {
                throw new IllegalArgumentException("--tls-password-file needs --tls-keystore or --tls-key");
            }
            return null; // a TLS password in the environment alone turns nothing on
        }
        if (tlsKeystore != null) {
            if (password == null) {
                throw new IllegalArgumentException("--tls-keystore needs its password: --tls-password-file FILE or "
                        + TLS_PASSWORD_ENV);
            }
            return ServerTls.fromKeystore(tlsKeystore, password);
        }
        return ServerTls.fromPem(tlsCert, tlsKey, password);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
