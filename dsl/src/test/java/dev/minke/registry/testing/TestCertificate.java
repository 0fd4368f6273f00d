package dev.minke.registry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate and its private key, made by {@code openssl req -x509} into a
 * directory: the registry's TLS certificate (subject alternative name IP:127.0.0.1) and the token
 * issuer's signing certificates.
 */
public final class TestCertificate {
  /** The key algorithm of a certificate. */
  public enum KeyType {
    /** RSA 2048; JWTs signed RS256. */
    RSA,
    /** EC P-256; JWTs signed ES256. */
    EC
  }

  private final KeyType keyType;
  private final Path certificate;
  private final Path privateKeyFile;
  private final X509Certificate x509;
  private final PrivateKey privateKey;

  private TestCertificate(KeyType keyType, Path certificate, Path privateKeyFile) {
    this.keyType = keyType;
    this.certificate = certificate;
    this.privateKeyFile = privateKeyFile;
    try {
      this.x509 = readCertificate(certificate);
      byte[] der = pemBody(Files.readString(privateKeyFile), "PRIVATE KEY");
      this.privateKey = KeyFactory.getInstance(keyType == KeyType.RSA ? "RSA" : "EC")
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read what openssl made in " + certificate, e);
    }
  }

  /**
   * Makes {@code NAME.crt} and {@code NAME.key} (PKCS#8, unencrypted) in {@code dir}, valid for two
   * days, for subject {@code CN=commonName}; {@code ipSan} (may be null) becomes an IP subject
   * alternative name so that TLS clients verify {@code https://127.0.0.1:PORT}.
   */
  public static TestCertificate make(Path dir, String name, KeyType keyType, String commonName,
      String ipSan) {
    Tools.requireOnPath("openssl", "openssl");
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes",
        "-days", "2", "-subj", "/CN=" + commonName, "-keyout", key.toString(),
        "-out", crt.toString()));
    if (keyType == KeyType.RSA) {
      command.addAll(List.of("-newkey", "rsa:2048"));
    } else {
      command.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
    }
    if (ipSan != null) {
      command.addAll(List.of("-addext", "subjectAltName=IP:" + ipSan));
    }
    Tools.run(dir, command);
    return new TestCertificate(keyType, crt, key);
  }

  public KeyType keyType() {
    return keyType;
  }

  /** The PEM certificate file (give it to a client as the CA to trust). */
  public Path certificatePath() {
    return certificate;
  }

  /** The PEM PKCS#8 private key file. */
  public Path privateKeyPath() {
    return privateKeyFile;
  }

  public X509Certificate x509() {
    return x509;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** A fresh TLS context that trusts this certificate, and nothing else. */
  public SSLContext sslContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("minke-test", x509);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static byte[] pemBody(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < 0) {
      throw new IllegalStateException("no " + label + " block in PEM");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
  }

  @Override
  public String toString() {
    return "TestCertificate[" + keyType + " " + certificate + "]";
  }
}
