package io.hivemqsuite.scheduler.update;

import io.hivemqsuite.scheduler.membership.Membership;
import io.hivemqsuite.scheduler.pod.Pods;
import io.hivemqsuite.scheduler.tls.AgentTlsClient;
import io.hivemqsuite.scheduler.tls.ServiceCertificates;

import java.time.Duration;

/** What the update plan's steps work with. */
public record UpdateContext(Pods pods, VipClient vip, ServiceCertificates certificates, AgentTlsClient agentTls,
                            Duration timeout, int maxFailures, Membership membership, String credential) {
}
