import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Polls every node agent's GET /v1/node/status every 100 ms and records, per phase (the content of a phase file
 * the benchmark script writes) and per node, the longest continuous stretch without a HEALTHY broker.
 * usage: java NoBrokerMonitor.java <credential-file> <phase-file> <result-file> <agent-url>...
 * Stops when the phase file says "done"; then writes "phase node longest_ms samples" lines to the result file.
 */
public class NoBrokerMonitor {
    private static final java.util.regex.Pattern HEALTHY =
            java.util.regex.Pattern.compile("\"state\"\\s*:\\s*\"HEALTHY\"");

    public static void main(String[] args) throws Exception {
        String credential = Files.readString(Path.of(args[0])).strip();
        Path phaseFile = Path.of(args[1]);
        Path resultFile = Path.of(args[2]);
        int nodes = args.length - 3;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
        Map<String, long[]> longest = new LinkedHashMap<>(); // phase -> per node longest ms
        Map<String, Integer> samples = new LinkedHashMap<>();
        long[] downSince = new long[nodes];
        String lastPhase = "";
        while (true) {
            String phase = Files.exists(phaseFile) ? Files.readString(phaseFile).strip() : "";
            if (!phase.equals(lastPhase)) {
                java.util.Arrays.fill(downSince, 0); // a stretch is counted in the phase it is seen in
                lastPhase = phase;
            }
            if (phase.equals("done")) {
                break;
            }
            long now = System.nanoTime();
            long[] max = longest.computeIfAbsent(phase, p -> new long[nodes]);
            samples.merge(phase, 1, Integer::sum);
            for (int i = 0; i < nodes; i++) {
                boolean healthy;
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(args[3 + i] + "/v1/node/status"))
                            .header("Authorization", "Bearer " + credential).timeout(Duration.ofMillis(500)).build();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    healthy = r.statusCode() == 200 && HEALTHY.matcher(r.body()).find();
                } catch (Exception e) {
                    healthy = false;
                }
                if (healthy) {
                    downSince[i] = 0;
                } else {
                    if (downSince[i] == 0) {
                        downSince[i] = now;
                    }
                    max[i] = Math.max(max[i], (now - downSince[i]) / 1_000_000);
                }
            }
            long spent = (System.nanoTime() - now) / 1_000_000;
            Thread.sleep(Math.max(0, 100 - spent));
        }
        StringBuilder out = new StringBuilder();
        longest.forEach((phase, max) -> {
            for (int i = 0; i < max.length; i++) {
                out.append(phase).append(' ').append(i).append(' ').append(max[i]).append(' ')
                        .append(samples.get(phase)).append('\n');
            }
        });
        Files.writeString(resultFile, out.toString());
    }
}
