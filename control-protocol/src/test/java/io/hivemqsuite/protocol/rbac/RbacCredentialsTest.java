package io.hivemqsuite.protocol.rbac;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RbacCredentialsTest {
    private static final String FIELD = RbacFiles.CREDENTIALS_OPTION;

    /** The exact defaults of the DC/OS package (mesosphere/universe repo/packages/H/hivemq/1/config.json). */
    static String packageOption(String name) {
        try (InputStream in = RbacCredentialsTest.class.getResourceAsStream("/rbac/dcos-package-" + name + ".b64")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RbacCredentials packageDefaults() {
        RbacFiles files = RbacFiles.fromOptions(packageOption("rbac_config"), packageOption("rbac_extension_config"));
        return RbacCredentials.parse(files.credentials(), PasswordType.HASHED, FIELD);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void thePackagesDefaultUsersLogInWithThePasswordsItsCommentsName() {
        RbacCredentials credentials = packageDefaults();
        assertEquals(Optional.of(List.of("role1")), credentials.authenticate("user1", utf8("pass1"), PasswordType.HASHED));
        assertEquals(Optional.of(List.of("superuser")),
                credentials.authenticate("admin-user", utf8("admin-password"), PasswordType.HASHED));
        assertEquals(Optional.empty(), credentials.authenticate("user1", utf8("pass2"), PasswordType.HASHED));
        assertEquals(Optional.empty(), credentials.authenticate("user1", utf8(""), PasswordType.HASHED));
        assertEquals(Optional.empty(), credentials.authenticate("nobody", utf8("pass1"), PasswordType.HASHED));
        // the password of one user is no good for another
        assertEquals(Optional.empty(), credentials.authenticate("admin-user", utf8("pass1"), PasswordType.HASHED));
    }

    @Test
    void ourHashEqualsTheJdksPbkdf2WithHmacSha512() throws Exception {
        byte[] salt = utf8("some-salt-of-32-characters-long!");
        // computed independently: the JDK's PBKDF2 (char[] password, ASCII so no encoding question), 512 bits
        byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec("s3cret".toCharArray(), salt, 100, 512)).getEncoded();
        String stored = Base64.getEncoder().encodeToString(salt) + ":100:" + Base64.getEncoder().encodeToString(jdk);
        assertEquals(stored, PasswordHash.hash(utf8("s3cret"), salt, 100));
        assertTrue(PasswordHash.matches(utf8("s3cret"), stored, PasswordType.HASHED));
        assertFalse(PasswordHash.matches(utf8("s3cret "), stored, PasswordType.HASHED));
        assertFalse(PasswordHash.matches(utf8("s3cret"), stored.replace(":100:", ":101:"), PasswordType.HASHED));
        // several iterations and binary, non-UTF-8 passwords work too
        byte[] binary = {(byte) 0xff, 0, (byte) 0xc3};
        assertTrue(PasswordHash.matches(binary, PasswordHash.hash(binary, salt, 1000), PasswordType.HASHED));
        assertTrue(PasswordHash.matches(new byte[0], PasswordHash.hash(new byte[0], salt, 3), PasswordType.HASHED));
    }

    @Test
    void brokenStoredHashesRefuseInsteadOfThrowing() {
        for (String stored : List.of("abc", "YQ==:100", "YQ==:x:YQ==", "YQ==:0:YQ==", "!!:100:YQ==", "YQ==:100:!!")) {
            assertFalse(PasswordHash.matches(utf8("a"), stored, PasswordType.HASHED), stored);
        }
    }

    @Test
    void plainPasswordsCompareAsText() {
        assertTrue(PasswordHash.matches(utf8("pässword"), "pässword", PasswordType.PLAIN));
        assertFalse(PasswordHash.matches(utf8("password"), "pässword", PasswordType.PLAIN));
    }

    @Test
    void permissionsFillInClientIdAndUserNameAndKeepTheRestrictions() {
        List<Permission> permissions = packageDefaults().permissions(List.of("role1"), "dev-7", "user1");
        assertEquals(3, permissions.size());
        assertEquals(new Permission("data/dev-7/#", Permission.Activity.ALL, Permission.Qos.ALL, Permission.Retain.ALL,
                Permission.SharedSubscription.ALL, "#"), permissions.get(0));
        assertEquals(new Permission("outgoing/dev-7", Permission.Activity.PUBLISH, Permission.Qos.ALL,
                Permission.Retain.RETAINED, Permission.SharedSubscription.ALL, "#"), permissions.get(1));
        assertEquals("incoming/user1/actions", permissions.get(2).topic());
        assertEquals(Permission.Activity.SUBSCRIBE, permissions.get(2).activity());
    }

    @Test
    void substitutionIgnoresCaseKeepsUnknownAndEscapedPlaceholders() {
        assertEquals("a/c1/u1/c1", TopicSubstitution.substitute("a/${{ClientId}}/${{USERNAME}}/${{clientid}}", "c1", "u1"));
        assertEquals("a/${{other}}/c1", TopicSubstitution.substitute("a/${{other}}/${{clientid}}", "c1", "u1"));
        assertEquals("a/${{clientid}}/c1", TopicSubstitution.substitute("a/§${{clientid}}/${{clientid}}", "c1", "u1"));
        assertEquals("a/${{clientid", TopicSubstitution.substitute("a/${{clientid", "c1", "u1"));
        // one pass: a client id that looks like a placeholder is not expanded again
        assertEquals("x/${{username}}", TopicSubstitution.substitute("x/${{clientid}}", "${{username}}", "u1"));
    }

    @Test
    void everyQosRetainAndSharedValueIsRead() {
        RbacCredentials c = RbacCredentials.parse("""
                <file-rbac><users><user><name>u</name><password>p</password><roles><id>r</id></roles></user></users>
                <roles><role><id>r</id><permissions><permission><topic>t</topic><activity> SUBSCRIBE </activity>
                <qos>ZERO_ONE</qos><retain>NOT_RETAINED</retain><shared-subscription>SHARED</shared-subscription>
                <shared-group>g1</shared-group></permission></permissions></role></roles></file-rbac>""",
                PasswordType.PLAIN, FIELD);
        assertEquals(new Permission("t", Permission.Activity.SUBSCRIBE, Permission.Qos.ZERO_ONE,
                Permission.Retain.NOT_RETAINED, Permission.SharedSubscription.SHARED, "g1"),
                c.roles().get("r").permissions().get(0));
        assertEquals(Optional.of(List.of("r")), c.authenticate("u", utf8("p"), PasswordType.PLAIN));
    }

    @Test
    void malformedXmlNamesTheOptionAndTheLine() {
        RbacConfigException e = assertThrows(RbacConfigException.class,
                () -> RbacCredentials.parse("<file-rbac>\n<users>\n</file-rbac>", PasswordType.HASHED, FIELD));
        assertEquals(FIELD, e.field());
        assertTrue(e.getMessage().startsWith("mqtt.auth.rbac_config: not well-formed XML at line 3"), e.getMessage());

        e = assertThrows(RbacConfigException.class,
                () -> RbacCredentials.parse("<hivemq/>", PasswordType.HASHED, FIELD));
        assertEquals("mqtt.auth.rbac_config: the root element must be <file-rbac> but is <hivemq>", e.getMessage());
    }

    @Test
    void externalEntitiesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><file-rbac>&x;</file-rbac>";
        RbacConfigException e = assertThrows(RbacConfigException.class,
                () -> RbacCredentials.parse(xxe, PasswordType.HASHED, FIELD));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void everyProblemTheExtensionWouldRefuseIsListed() {
        RbacConfigException e = assertThrows(RbacConfigException.class, () -> RbacCredentials.parse("""
                <file-rbac>
                  <users>
                    <user><name>a</name><password>plain-text</password><roles><id>r1</id></roles></user>
                    <user><name>b</name><password>c2FsdA==:100:aGFzaA==</password><roles><id>nope</id></roles></user>
                    <user><name>b</name><password>x:1:y</password><roles><id>r1</id></roles></user>
                    <user><name>c</name><password>x:1:y</password></user>
                  </users>
                  <roles>
                    <role><id>r1</id><permissions><permission><topic>t</topic><activity>READ</activity></permission></permissions></role>
                    <role><id>r2</id><permissions/></role>
                    <role><id>r3</id><permissions><permission><qos>ONE</qos></permission></permissions></role>
                  </roles>
                </file-rbac>""", PasswordType.HASHED, FIELD));
        assertEquals(List.of(
                "role 'r1': <activity> 'READ' is not one of [PUBLISH, SUBSCRIBE, ALL]",
                "role 'r2' has no <permission>",
                "role 'r3': a <permission> has no <topic>",
                "user 'a': <password> is not a hashed password (<salt>:<iterations>:<hash>;"
                        + " use <password-type>PLAIN</password-type> for plain text)",
                "user 'b' has the unknown role 'nope'",
                "user name 'b' is used twice",
                "user 'c' has no role"), e.problems());
    }

    @Test
    void noUsersOrNoRolesIsRefused() {
        RbacConfigException e = assertThrows(RbacConfigException.class,
                () -> RbacCredentials.parse("<file-rbac><users/></file-rbac>", PasswordType.HASHED, FIELD));
        assertEquals(List.of("no <user> in <users>", "no <role> in <roles>"), e.problems());
    }

    @Test
    void optionsAreBase64AndEachErrorNamesItsOption() {
        RbacConfigException e = assertThrows(RbacConfigException.class,
                () -> RbacFiles.fromOptions("not*base64", ""));
        assertEquals(RbacFiles.CREDENTIALS_OPTION, e.field());
        assertTrue(e.getMessage().startsWith("mqtt.auth.rbac_config: not valid base64"), e.getMessage());

        e = assertThrows(RbacConfigException.class, () -> RbacFiles.fromOptions(packageOption("rbac_config"),
                Base64.getEncoder().encodeToString(utf8("<extension-configuration><password-type>MD5</password-type>"
                        + "</extension-configuration>"))));
        assertEquals("mqtt.auth.rbac_extension_config: extension configuration: <password-type> 'MD5' is not one of"
                + " [HASHED, PLAIN]", e.getMessage());

        e = assertThrows(RbacConfigException.class, () -> RbacFiles.fromOptions(
                Base64.getEncoder().encodeToString(utf8("<file-rbac><users>")), ""));
        assertTrue(e.getMessage().startsWith("mqtt.auth.rbac_config: not well-formed XML at line 1"), e.getMessage());

        e = assertThrows(RbacConfigException.class, () -> RbacFiles.fromOptions("%%%", ""));
        assertTrue(e.getMessage().startsWith("mqtt.auth.rbac_config: not valid base64"), e.getMessage());
        // wrapped base64 (76 characters a line) is the same value
        String wrapped = Base64.getMimeEncoder().encodeToString(Base64.getDecoder().decode(packageOption("rbac_config")));
        assertTrue(wrapped.contains("\r\n"));
        assertEquals(RbacFiles.fromOptions(packageOption("rbac_config"), "").credentials().length,
                RbacFiles.fromOptions(wrapped, "").credentials().length);

        e = assertThrows(RbacConfigException.class, () -> RbacFiles.fromOptions("", ""));
        assertEquals(RbacFiles.CREDENTIALS_OPTION, e.field());
    }

    @Test
    void thePackagesExtensionConfigIsHashedWithAMinuteReload() {
        RbacFiles files = RbacFiles.fromOptions(packageOption("rbac_config"), packageOption("rbac_extension_config"));
        RbacExtensionConfig config = RbacExtensionConfig.parse(files.extensionConfig(), RbacFiles.EXTENSION_CONFIG_OPTION);
        assertEquals(new RbacExtensionConfig(60, PasswordType.HASHED, java.util.Set.of()), config);
    }
}
