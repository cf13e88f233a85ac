package io.hivemqsuite.protocol.sidecar;

import io.hivemqsuite.protocol.plan.PlanRequestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The PATH of add-config: relative to the extensions folder, its first segment an extension folder
 * ({@code my-ext/conf/config.xml}). Checked twice: by its text alone (no absolute path, no {@code ..}), and on the
 * node against the real folder, where a symlinked folder on the way could lead out of it.
 */
public final class ConfigPath {
    private ConfigPath() {
    }

    /** The path's segments, if its text stays inside the extensions folder. */
    public static List<String> parse(String path) {
        String field = SidecarPlans.PATH;
        if (path == null || path.isBlank()) {
            throw new PlanRequestException(field, "missing parameter PATH");
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            throw new PlanRequestException(field, "PATH must be relative to the extensions folder but is absolute: '"
                    + path + "'");
        }
        if (path.contains("\\") || path.indexOf('\0') >= 0) {
            throw new PlanRequestException(field, "PATH must use '/' as separator and no control characters: '"
                    + path + "'");
        }
        List<String> segments = List.of(path.split("/", -1));
        for (String s : segments) {
            if (s.equals("..")) {
                throw new PlanRequestException(field, "PATH '" + path + "' leaves the extensions folder ('..')");
            }
            if (s.isEmpty() || s.equals(".")) {
                throw new PlanRequestException(field, "PATH '" + path + "' has an empty or '.' segment");
            }
        }
        if (segments.size() < 2) {
            throw new PlanRequestException(field, "PATH must name a file inside an extension folder, like "
                    + "my-extension/conf/config.xml, but is '" + path + "'");
        }
        SidecarPlans.checkExtensionName(field, segments.get(0));
        return segments;
    }

    /**
     * The file the path names inside {@code extensionsDir}, checked on the real file system: the extension folder
     * must exist, and no existing folder on the way (nor the file) may be a symbolic link.
     */
    public static Path resolve(Path extensionsDir, String path) {
        List<String> segments = parse(path);
        Path root = extensionsDir.toAbsolutePath().normalize();
        Path extension = root.resolve(segments.get(0));
        if (!Files.isDirectory(extension, LinkOption.NOFOLLOW_LINKS)) {
            throw new PlanRequestException(SidecarPlans.PATH, "extension '" + segments.get(0)
                    + "' does not exist on this node (PATH must start with an installed extension's folder)");
        }
        Path current = root;
        for (String s : segments) {
            current = current.resolve(s);
            if (Files.isSymbolicLink(current)) {
                throw new PlanRequestException(SidecarPlans.PATH, "PATH '" + path + "' goes through the symbolic "
                        + "link " + root.relativize(current) + ", which may lead out of the extensions folder");
            }
        }
        try {
            Path existingParent = current.getParent();
            while (existingParent != null && !Files.exists(existingParent)) {
                existingParent = existingParent.getParent();
            }
            if (existingParent == null || !existingParent.toRealPath().startsWith(root.toRealPath())) {
                throw new PlanRequestException(SidecarPlans.PATH, "PATH '" + path + "' leaves the extensions folder");
            }
        } catch (IOException e) {
            throw new PlanRequestException(SidecarPlans.PATH, "cannot check PATH '" + path + "': " + e.getMessage());
        }
        return current;
    }
}
