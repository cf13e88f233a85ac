package io.hivemqsuite.systemtest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Debian programs the system tests run (README "Prerequisites"; `.ci/run` installs them). */
final class Prerequisites {
    private Prerequisites() {
    }

    /** Whether an executable of that name is on the PATH (or in /usr/sbin, where Debian puts haproxy). */
    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
