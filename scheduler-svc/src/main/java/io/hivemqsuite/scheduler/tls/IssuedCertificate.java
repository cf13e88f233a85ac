package io.hivemqsuite.scheduler.tls;

/**
 * A node certificate as it travels to the agent.
 *
 * @param certificateChainPem the node certificate followed by the CA certificate (PEM)
 * @param privateKeyPem       the node's private key (PKCS#8 PEM)
 * @param caPem               the issuing CA's certificate (PEM)
 * @param serialHex           the node certificate's serial number (hex)
 * @param notAfterMs          end of validity, epoch milliseconds
 */
public record IssuedCertificate(String certificateChainPem, String privateKeyPem, String caPem, String serialHex,
                                long notAfterMs) {
}
