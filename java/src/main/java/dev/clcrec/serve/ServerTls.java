package dev.clcrec.serve;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The server's TLS setup for Helidon's own TLS: a private key and its certificate chain, from PEM files
 * or from a PKCS#12 keystore. Every problem (missing file, not PEM, wrong password, no key inside) is an
 * {@link IllegalArgumentException} naming the file, raised before the server binds its port.
 */
public final class ServerTls {
    private ServerTls() {}

    /**
     * From a PEM certificate chain (server certificate first, then intermediates) and a PEM private key:
     * PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC; {@code BEGIN ENCRYPTED PRIVATE KEY} when
     * {@code keyPassword} is not null) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}). Helidon's reader has
     * no SEC1 ({@code BEGIN EC PRIVATE KEY}): convert it with {@code openssl pkcs8 -topk8 -nocrypt}.
     */
    public static Tls fromPem(Path certChain, Path key, char[] keyPassword) {
        readable(certChain, "certificate");
        readable(key, "private key");
        PrivateKey privateKey;
        try {
            Keys k = Keys.builder().pem(p -> {
                p.key(Resource.create(key));
                if (keyPassword != null) {
                    p.keyPassphrase(keyPassword);
                }
            }).build();
            privateKey = k.privateKey().orElseThrow(() -> new IllegalArgumentException(
                    "TLS private key " + key + " holds no private key"));
        } catch (RuntimeException e) {
            throw rethrow("TLS private key " + key, e, keyPassword != null
                    ? " (PEM PKCS#8 or PKCS#1 RSA expected; is the password right?)"
                    : " (PEM PKCS#8 or PKCS#1 RSA expected; an encrypted key needs its password)");
        }
        List<X509Certificate> chain;
        try {
            chain = Keys.builder().pem(p -> p.certChain(Resource.create(certChain))).build().certChain();
        } catch (RuntimeException e) {
            throw rethrow("TLS certificate " + certChain, e, " (PEM certificates expected)");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("TLS certificate " + certChain + " holds no PEM certificate");
        }
        if (!matches(privateKey, chain.getFirst())) {
            throw new IllegalArgumentException("TLS private key " + key + " does not belong to the first certificate of "
                    + certChain);
        }
        return build(privateKey, chain);
    }

    /** From a PKCS#12 (or JKS) keystore holding exactly one private key entry, opened with {@code password}. */
    public static Tls fromKeystore(Path keystore, char[] password) {
        readable(keystore, "keystore");
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(keystore.toFile(), password);
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            throw new IllegalArgumentException("TLS keystore " + keystore + (wrongPassword
                    ? ": the password does not open it" : ": not a readable PKCS#12 keystore (" + e.getMessage() + ")"));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS keystore " + keystore + ": not a PKCS#12 keystore (" + e.getMessage()
                    + ")");
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new IllegalArgumentException("TLS keystore " + keystore + " holds " + keys.size()
                        + " private keys; it must hold exactly one (the server's)");
            }
            PrivateKey key = (PrivateKey) ks.getKey(keys.getFirst(), password);
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] certs = ks.getCertificateChain(keys.getFirst());
            for (Certificate c : certs == null ? new Certificate[0] : certs) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("TLS keystore " + keystore + ": its key has no certificate chain");
            }
            return build(key, chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS keystore " + keystore + ": cannot read its key ("
                    + e.getMessage() + "); the key must have the keystore's password");
        }
    }

    private static Tls build(PrivateKey key, List<X509Certificate> chain) {
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key (sign and verify a probe). */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            String alg = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (alg == null) {
                return true; // an algorithm we cannot probe: let the handshake tell
            }
            byte[] probe = "clcrec-tls-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature s = java.security.Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void readable(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " does not exist or cannot be read");
        }
    }

    private static IllegalArgumentException rethrow(String what, RuntimeException e, String hint) {
        if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("TLS ")) {
            return iae;
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IllegalArgumentException(what + ": cannot be read" + hint + ": " + m);
    }
}
