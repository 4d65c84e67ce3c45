package dev.clcrec.serve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for 127.0.0.1 made at test time by the JDK's own keytool, as a PKCS#12
 * keystore and as PEM files, plus a client SSLContext that trusts exactly that certificate.
 */
record TestCerts(Path keystore, String password, Path passwordFile, Path certPem, Path keyPem, X509Certificate cert) {
    static TestCerts create(Path dir, String alias) throws Exception {
        Files.createDirectories(dir);
        Path ks = dir.resolve(alias + ".p12");
        String password = "test-pass-" + System.nanoTime();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", password, "-keypass", password,
                "-noprompt").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance(ks.toFile(), password.toCharArray());
        PrivateKey key = (PrivateKey) store.getKey(alias, password.toCharArray());
        X509Certificate cert = (X509Certificate) store.getCertificate(alias);
        Path certPem = dir.resolve(alias + "-cert.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Path keyPem = dir.resolve(alias + "-key.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
        Path passwordFile = dir.resolve(alias + ".password");
        Files.writeString(passwordFile, password + "\n");
        for (Path f : List.of(ks, keyPem, passwordFile)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return new TestCerts(ks, password, passwordFile, certPem, keyPem, cert);
    }

    /**
     * The private key again, as encrypted PKCS#8 PEM under {@code password}. PBES1 (PKCS#12's
     * SHA-1/3DES), the scheme the JDK can both write as an EncryptedPrivateKeyInfo and read back.
     */
    Path encryptedKeyPem(String password) throws Exception {
        KeyStore store = KeyStore.getInstance(keystore.toFile(), this.password.toCharArray());
        PrivateKey key = (PrivateKey) store.getKey(store.aliases().nextElement(), this.password.toCharArray());
        String alg = "PBEWithSHA1AndDESede";
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.SecretKey pbe = javax.crypto.SecretKeyFactory.getInstance(alg)
                .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray()));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(alg);
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, pbe, new javax.crypto.spec.PBEParameterSpec(salt, 10_000));
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        byte[] der = new javax.crypto.EncryptedPrivateKeyInfo(cipher.getParameters(), encrypted).getEncoded();
        Path f = keyPem.resolveSibling(keyPem.getFileName() + ".enc.pem");
        Files.writeString(f, pem("ENCRYPTED PRIVATE KEY", der));
        return f;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** A client context that trusts this certificate and nothing else. */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
