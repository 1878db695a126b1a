package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.spark.test.TestSpark;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  /**
   * Folders made and files created get the permissions Hadoop's own local file system gives them,
   * under the default umask and two stricter ones.
   */
  @Test
  void foldersAndFilesGetThePermissionsHadoopsOwnGives() throws IOException {
    for (String umask : new String[] {"022", "027", "077"}) {
      Configuration conf = new Configuration();
      conf.set("fs.permissions.umask-mode", umask);
      try (LocalFileSystem hadoops = new LocalFileSystem();
          LocalFileSystem ours = new JavaLocalFileSystem()) {
        hadoops.initialize(URI.create("file:///"), conf);
        ours.initialize(URI.create("file:///"), conf);
        for (LocalFileSystem fs : new LocalFileSystem[] {hadoops, ours}) {
          Path root = new Path(dir.resolve(umask + "-" + fs.getClass().getSimpleName()).toUri());
          assertThat(fs.mkdirs(new Path(root, "a/b"))).isTrue();
          fs.create(new Path(root, "a/b/part-0.parquet")).close();
        }
        for (String made : new String[] {"a", "a/b", "a/b/part-0.parquet", "a/b/.part-0.parquet.crc"}) {
          assertThat(permissions(umask + "-JavaLocalFileSystem/" + made))
              .as("%s with umask %s", made, umask)
              .isEqualTo(permissions(umask + "-LocalFileSystem/" + made));
        }
      }
    }
  }

  /** Every action of user, group and other is set as given, and only those. */
  @Test
  void setPermissionSetsEachActionAsGiven() throws IOException {
    try (LocalFileSystem fs = open()) {
      Path file = new Path(dir.resolve("f").toUri());
      fs.create(file).close();
      for (short mode : new short[] {0, 0400, 0644, 0750, 0705, 0777, 0123}) {
        FsPermission permission = new FsPermission(mode);
        fs.setPermission(file, permission);
        assertThat(permissions("f")).as("%o", mode).isEqualTo(permission.toString());
      }
    }
  }

  /** A sticky bit, which Java cannot set, is left to Hadoop's chmod, and the rest is set too. */
  @Test
  void aStickyBitIsLeftToHadoop() throws IOException {
    try (LocalFileSystem fs = open()) {
      Path folder = new Path(dir.resolve("shared").toUri());
      fs.mkdirs(folder);
      fs.setPermission(folder, new FsPermission((short) 01770));
      assertThat(permissions("shared")).isEqualTo("rwxrwx---");
      assertThat(fs.getFileStatus(folder).getPermission().getStickyBit()).isTrue();
    }
  }

  @Test
  void aMissingFileIsNotFound() throws IOException {
    try (LocalFileSystem fs = open()) {
      Path missing = new Path(dir.resolve("missing").toUri());
      assertThatThrownBy(() -> fs.setPermission(missing, new FsPermission((short) 0644)))
          .isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining("missing");
    }
  }

  /** The tests' session, as the CLI's local ones, writes through it. */
  @Test
  void theLocalSessionUsesIt() throws IOException {
    FileSystem fs =
        FileSystem.get(URI.create("file:///"), TestSpark.session().sessionState().newHadoopConf());
    assertThat(fs).isInstanceOf(JavaLocalFileSystem.class);
  }

  private LocalFileSystem open() throws IOException {
    LocalFileSystem fs = new JavaLocalFileSystem();
    fs.initialize(URI.create("file:///"), new Configuration());
    return fs;
  }

  private String permissions(String relative) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(relative)));
  }
}
