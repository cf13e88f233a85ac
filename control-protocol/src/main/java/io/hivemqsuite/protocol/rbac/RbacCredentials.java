package io.hivemqsuite.protocol.rbac;

import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code credentials.xml} of HiveMQ's File RBAC extension: users with a password and role ids, roles with
 * topic permissions. Read with the same rules the extension applies before it uses a file (at least one user and
 * one role; unique names and ids; every user has a password and known roles; every role has permissions with a
 * topic; a hashed password has a salt and an iteration count), so a file the extension would refuse is refused
 * here too, with every problem listed.
 *
 * <pre>{@code
 * <file-rbac>
 *   <users><user><name>user1</name><password>salt:100:hash</password><roles><id>role1</id></roles></user></users>
 *   <roles><role><id>role1</id><permissions>
 *     <permission><topic>data/${{clientid}}/#</topic><activity>PUBLISH</activity><qos>ONE</qos>
 *       <retain>NOT_RETAINED</retain><shared-subscription>ALL</shared-subscription><shared-group>#</shared-group>
 *     </permission>
 *   </permissions></role></roles>
 * </file-rbac>
 * }</pre>
 */
public record RbacCredentials(Map<String, User> users, Map<String, Role> roles) {

    public record User(String name, String password, List<String> roles) {
    }

    public record Role(String id, List<Permission> permissions) {
    }

    public RbacCredentials {
        users = Map.copyOf(users);
        roles = Map.copyOf(roles);
    }

    /**
     * The roles of the user when {@code password} (as sent in CONNECT) is theirs; empty for an unknown user or a
     * wrong password.
     */
    public Optional<List<String>> authenticate(String userName, byte[] password, PasswordType type) {
        User user = users.get(userName);
        if (user == null || !PasswordHash.matches(password, user.password(), type)) {
            return Optional.empty();
        }
        return Optional.of(user.roles());
    }

    /** The permissions of {@code roleIds} in order, placeholders filled in for this client. */
    public List<Permission> permissions(List<String> roleIds, String clientId, String userName) {
        List<Permission> result = new ArrayList<>();
        for (String id : roleIds) {
            for (Permission p : roles.get(id).permissions()) {
                result.add(new Permission(TopicSubstitution.substitute(p.topic(), clientId, userName), p.activity(),
                        p.qos(), p.retain(), p.shared(), p.sharedGroup()));
            }
        }
        return result;
    }

    public static RbacCredentials parse(String xml, PasswordType type, String field) {
        return parse(xml.getBytes(StandardCharsets.UTF_8), type, field);
    }

    /**
     * @param field what to name in errors: the option ({@code mqtt.auth.rbac_config}) or the file
     * @throws RbacConfigException listing every problem
     */
    public static RbacCredentials parse(byte[] xml, PasswordType type, String field) {
        Element root = RbacXml.root(xml, field, "file-rbac");
        List<String> problems = new ArrayList<>();
        Map<String, Role> roles = new LinkedHashMap<>();
        List<Element> roleElements = RbacXml.wrapped(root, "roles", "role");
        List<Element> userElements = RbacXml.wrapped(root, "users", "user");
        if (userElements.isEmpty()) {
            problems.add("no <user> in <users>");
        }
        if (roleElements.isEmpty()) {
            problems.add("no <role> in <roles>");
        }
        if (!problems.isEmpty()) {
            throw new RbacConfigException(field, problems);
        }
        for (Element r : roleElements) {
            String id = RbacXml.text(r, "id").orElse("");
            if (id.isEmpty()) {
                problems.add("a <role> has no <id>");
                continue;
            }
            if (roles.containsKey(id)) {
                problems.add("role id '" + id + "' is used twice");
                continue;
            }
            String where = "role '" + id + "'";
            List<Permission> permissions = new ArrayList<>();
            for (Element p : RbacXml.wrapped(r, "permissions", "permission")) {
                String topic = RbacXml.text(p, "topic").orElse("");
                if (topic.isEmpty()) {
                    problems.add(where + ": a <permission> has no <topic>");
                }
                String group = RbacXml.text(p, "shared-group").orElse("#");
                if (group.isEmpty()) {
                    problems.add(where + ": <shared-group> is empty");
                }
                permissions.add(new Permission(topic,
                        RbacXml.enumValue(p, "activity", Permission.Activity.class, Permission.Activity.ALL, where, problems),
                        RbacXml.enumValue(p, "qos", Permission.Qos.class, Permission.Qos.ALL, where, problems),
                        RbacXml.enumValue(p, "retain", Permission.Retain.class, Permission.Retain.ALL, where, problems),
                        RbacXml.enumValue(p, "shared-subscription", Permission.SharedSubscription.class,
                                Permission.SharedSubscription.ALL, where, problems),
                        group));
            }
            if (permissions.isEmpty()) {
                problems.add(where + " has no <permission>");
            }
            roles.put(id, new Role(id, List.copyOf(permissions)));
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (Element u : userElements) {
            String name = RbacXml.text(u, "name").orElse("");
            if (name.isEmpty()) {
                problems.add("a <user> has no <name>");
                continue;
            }
            if (users.containsKey(name)) {
                problems.add("user name '" + name + "' is used twice");
                continue;
            }
            String where = "user '" + name + "'";
            String password = RbacXml.text(u, "password").orElse("");
            if (password.isEmpty()) {
                problems.add(where + " has no <password>");
                continue;
            }
            if (type == PasswordType.HASHED) {
                String[] parts = password.split(":");
                if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    problems.add(where + ": <password> is not a hashed password (<salt>:<iterations>:<hash>;"
                            + " use <password-type>PLAIN</password-type> for plain text)");
                    continue;
                }
            }
            List<Element> roleElementsOfUser = RbacXml.wrapped(u, "roles", "id");
            if (roleElementsOfUser.isEmpty()) {
                problems.add(where + " has no role");
                continue;
            }
            List<String> roleIds = new ArrayList<>();
            for (Element id : roleElementsOfUser) {
                String roleId = id.getTextContent();
                if (roleId.isEmpty()) {
                    problems.add(where + " has an empty role <id>");
                } else if (!roles.containsKey(roleId)) {
                    problems.add(where + " has the unknown role '" + roleId + "'");
                } else {
                    roleIds.add(roleId);
                }
            }
            users.put(name, new User(name, password, List.copyOf(roleIds)));
        }
        if (!problems.isEmpty()) {
            throw new RbacConfigException(field, problems);
        }
        return new RbacCredentials(users, roles);
    }
}
