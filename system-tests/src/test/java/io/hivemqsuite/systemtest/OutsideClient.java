package io.hivemqsuite.systemtest;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An Eclipse Paho MQTT 5 client: what a user of the cluster connects with. Records everything it receives. */
final class OutsideClient implements AutoCloseable, MqttCallback {
    record Received(String topic, String payload) {
    }

    private final MqttAsyncClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private volatile boolean disconnectedByServer;

    private OutsideClient(MqttAsyncClient client) {
        this.client = client;
    }

    static OutsideClient connect(String host, int port, String clientId) throws MqttException {
        return connect(host, port, clientId, null, null);
    }

    static OutsideClient connect(String host, int port, String clientId, String user, String password) throws MqttException {
        MqttAsyncClient paho = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
        OutsideClient outside = new OutsideClient(paho);
        paho.setCallback(outside);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        paho.connect(options).waitForCompletion(10_000);
        return outside;
    }

    void subscribe(String filter, int qos) throws MqttException {
        IMqttToken token = client.subscribe(filter, qos);
        token.waitForCompletion(10_000);
        int[] codes = token.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            throw new IllegalStateException("subscription to " + filter + " refused with reason 0x"
                    + Integer.toHexString(codes[0]));
        }
    }

    /**
     * Publishes with QoS 1 and returns the PUBACK reason code; a code of 0x80 or more, an exception or a
     * disconnect means the broker refused the message.
     */
    int publish(String topic, String payload, boolean retained) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        IMqttToken token = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (token == null) {
            try {
                token = client.publish(topic, message);
            } catch (MqttException e) {
                // Paho frees an in-flight slot a moment after the PUBACK completed the previous token: the message
                // was not sent, so sending it again is no duplicate.
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > end) {
                    throw e;
                }
                Poll.sleep(20);
            }
        }
        token.waitForCompletion(10_000);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    Received next(long timeoutMillis) throws InterruptedException {
        return received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The next message on {@code topic}, skipping others; null when none arrives in time. */
    Received nextOn(String topic, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            Received message = next(Math.max(1, end - System.currentTimeMillis()));
            if (message != null && message.topic().equals(topic)) {
                return message;
            }
        }
        return null;
    }

    List<Received> all() {
        return List.copyOf(all);
    }

    boolean connected() {
        return client.isConnected();
    }

    boolean disconnectedByServer() {
        return disconnectedByServer;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // nothing left to release
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnectedByServer = true;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Received r = new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8));
        all.add(r);
        received.add(r);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
