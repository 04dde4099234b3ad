// What only the built-in memory: and file: drivers promise: their URIs, sharing, and the file
// driver's on-disk layout and housekeeping.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/storage/driver_loader.h"
#include "driver_fixture.h"

namespace bdbtest {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  std::string path = fresh_temp_dir();
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string &path, const std::string &data) {
  std::ofstream(path, std::ios::binary) << data;
}

bdb_status open_status(const std::string &uri) {
  try {
    Storage::open(uri);
  } catch (const bucketdb::Error &e) {
    return e.status();
  }
  return BDB_OK;
}

TEST(MemoryDriver, UnnamedStoresArePrivate) {
  auto a = Storage::open("memory:");
  auto b = Storage::open("memory:");
  a->put("k", bytes("v"), {});
  EXPECT_TRUE(a->get("k"));
  EXPECT_FALSE(b->get("k"));
}

TEST(MemoryDriver, NamedStoresAreSharedAndOutliveTheirHandles) {
  std::string uri = "memory:shared-" + unique_suffix();
  auto a = Storage::open(uri);
  auto b = Storage::open(uri + "?page=1");
  std::string etag;
  a->put("k", bytes("v"), {}, &etag);
  ASSERT_TRUE(b->get("k"));
  EXPECT_EQ(b->get("k")->etag, etag);
  a.reset();
  b.reset();
  auto c = Storage::open(uri);
  EXPECT_EQ(text(c->get("k")->data), "v");
  EXPECT_FALSE(Storage::open("memory:other-" + unique_suffix())->get("k"));
}

TEST(MemoryDriver, ReportsStats) {
  auto s = Storage::open("memory:");
  s->put("a", bytes("12345"), {});
  s->put("b", bytes("12"), {});
  EXPECT_EQ(s->driver_stats_json(), "{\"objects\":2,\"bytes\":7}");
}

TEST(BuiltinDrivers, RefuseBadOptions) {
  TempDir dir;
  for (std::string opts :
       {"?page=0", "?page=abc", "?page=", "?page=99999999", "?bogus=1", "?page"}) {
    EXPECT_EQ(open_status("memory:x" + opts), BDB_E_URI) << opts;
    EXPECT_EQ(open_status("file:" + dir.path + opts), BDB_E_URI) << opts;
  }
  EXPECT_EQ(open_status("memory:x?page=5&page=7"), BDB_OK);
}

TEST(FileDriver, RefusesBadPaths) {
  TempDir dir;
  write_file(dir.path + "/plain", "x");
  EXPECT_EQ(open_status("file:"), BDB_E_URI);
  EXPECT_EQ(open_status("file:?page=2"), BDB_E_URI);
  EXPECT_EQ(open_status("file:" + dir.path + "/plain"), BDB_E_URI);
  EXPECT_NE(open_status("file:" + dir.path + "/plain/below"), BDB_OK);
  EXPECT_EQ(open_status("file://otherhost/x"), BDB_E_URI);
  try {
    Storage::open("file:");
  } catch (const bucketdb::Error &e) {
    EXPECT_NE(std::string(e.what()).find("directory"), std::string::npos) << e.what();
  }
}

TEST(FileDriver, CreatesTheBaseDirectoryWithParentsAtTheFirstWrite) {
  TempDir dir;
  std::string base = dir.path + "/a/b/c";
  auto s = Storage::open("file:" + base);
  auto url = Storage::open("file://" + base);  // file:///abs form
  // Reads of a directory that is not there find nothing and create nothing.
  EXPECT_FALSE(s->get("k"));
  EXPECT_TRUE(s->list("", "").keys.empty());
  s->del("k");
  EXPECT_FALSE(fs::exists(dir.path + "/a")) << "a read or a delete created the directory";
  s->put("k", bytes("v"), {});
  EXPECT_TRUE(fs::is_directory(base));
  EXPECT_EQ(text(url->get("k")->data), "v");
}

// The absolute path of a built plugin, found before any chdir.
std::string plugin_file(const std::string &name) {
  std::string dirs = bucketdb::plugin_search_path();
  for (size_t start = 0; start <= dirs.size();) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    fs::path p = fs::path(dirs.substr(start, colon - start)) / name;
    if (fs::is_regular_file(p)) return fs::absolute(p).lexically_normal();
    start = colon + 1;
  }
  return name;
}

TEST(FileDriver, RelativePathIsResolvedOnceAtOpen) {
  TempDir dir;
  std::string plugin = plugin_file("bucketdb-driver-file.so");
  std::string old_cwd = fs::current_path();
  ASSERT_EQ(::chdir(dir.path.c_str()), 0);
  std::unique_ptr<Storage> s;
  try {
    s = Storage::open("plugin:" + plugin + "?./rel/data");
  } catch (...) {
    ASSERT_EQ(::chdir(old_cwd.c_str()), 0);
    throw;
  }
  ASSERT_EQ(::chdir(old_cwd.c_str()), 0);
  s->put("k", bytes("v"), {});  // after the working directory changed back
  EXPECT_EQ(read_file(dir.path + "/rel/data/k"), "v");
}

TEST(FileDriver, KeysAreReadableFilesOnDisk) {
  TempDir dir;
  auto s = Storage::open("file:" + dir.path);
  s->put("db/committed/00000000000000000001", bytes("entry"), {});
  s->put(".hidden/.x", bytes("dot"), {});
  s->put("100%/a b", bytes("pct"), {});
  EXPECT_EQ(read_file(dir.path + "/db/committed/00000000000000000001"), "entry");
  EXPECT_EQ(read_file(dir.path + "/%2Ehidden/%2Ex"), "dot");
  EXPECT_EQ(read_file(dir.path + "/100%25/a b"), "pct");
  // No temp file is left behind; the lock file is the only name starting with '.'.
  for (auto &e : fs::recursive_directory_iterator(dir.path)) {
    std::string name = e.path().filename();
    if (name[0] == '.') {
      EXPECT_EQ(name, ".bucketdb-lock") << e.path();
    }
  }
}

TEST(FileDriver, DeleteRemovesEmptyParentsButNeverTheBase) {
  TempDir dir;
  auto s = Storage::open("file:" + dir.path);
  s->put("a/b/c", bytes("1"), {});
  s->put("a/d", bytes("2"), {});
  s->del("a/b/c");
  EXPECT_FALSE(fs::exists(dir.path + "/a/b"));
  EXPECT_TRUE(fs::exists(dir.path + "/a/d"));
  s->del("a/d");
  EXPECT_FALSE(fs::exists(dir.path + "/a"));
  EXPECT_TRUE(fs::is_directory(dir.path));
  s->put("top", bytes("3"), {});
  s->del("top");
  EXPECT_TRUE(fs::is_directory(dir.path));
}

TEST(FileDriver, PersistsAcrossReopenWithTheSameEtag) {
  TempDir dir;
  std::string etag;
  Storage::open("file:" + dir.path)->put("k/v", bytes("durable"), {}, &etag);
  auto s = Storage::open("file:" + dir.path);
  auto obj = s->get("k/v");
  ASSERT_TRUE(obj);
  EXPECT_EQ(text(obj->data), "durable");
  EXPECT_EQ(obj->etag, etag);
  PutCondition c;
  c.if_match = etag;
  EXPECT_EQ(s->put("k/v", bytes("next"), c), PutOutcome::kOk);
}

TEST(FileDriver, ListSkipsForeignFilesAndSweepsStaleTempFiles) {
  TempDir dir;
  auto s = Storage::open("file:" + dir.path);
  s->put("sub/real", bytes("x"), {});
  write_file(dir.path + "/sub/.tmp.stale", "crashed put");
  write_file(dir.path + "/sub/.tmp.fresh", "put in progress");
  write_file(dir.path + "/bad%zz", "not a name the driver writes");
  write_file(dir.path + "/.dotfile", "someone else's");
  fs::create_directory(dir.path + "/empty-dir");
  struct timespec old[2] = {{::time(nullptr) - 7200, 0}, {::time(nullptr) - 7200, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir.path + "/sub/.tmp.stale").c_str(), old, 0), 0);
  EXPECT_EQ(s->list_all(""), std::vector<std::string>{"sub/real"});
  EXPECT_FALSE(fs::exists(dir.path + "/sub/.tmp.stale"));
  EXPECT_TRUE(fs::exists(dir.path + "/sub/.tmp.fresh"));
  EXPECT_FALSE(s->get("bad%zz"));  // that key is stored as bad%25zz
}

TEST(FileDriver, EtagOfAFileChangedBehindItsBackChanges) {
  TempDir dir;
  auto s = Storage::open("file:" + dir.path);
  std::string etag;
  s->put("k", bytes("abcd"), {}, &etag);
  // Rewrite in place, same size, then restore the original mtime: only the content differs.
  struct stat st {};
  ASSERT_EQ(::stat((dir.path + "/k").c_str(), &st), 0);
  { std::fstream(dir.path + "/k", std::ios::in | std::ios::out | std::ios::binary) << "wxyz"; }
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir.path + "/k").c_str(), times, 0), 0);
  EXPECT_NE(s->get("k")->etag, etag);
  PutCondition c;
  c.if_match = etag;
  EXPECT_EQ(s->put("k", bytes("new"), c), PutOutcome::kPreconditionFailed);
}

TEST(FileDriver, ErrorsNameTheKeyAndPath) {
  TempDir dir;
  auto s = Storage::open("file:" + dir.path);
  s->put("file", bytes("x"), {});
  auto e = error_of([&] { s->put("file/under", bytes("y"), {}); });
  EXPECT_EQ(e.status(), BDB_E_INVALID);
  EXPECT_NE(std::string(e.what()).find("file/under"), std::string::npos) << e.what();
}

TEST(FileDriver, WritesToAReadOnlyDirectoryFailWithPermission) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  auto s = Storage::open("file:" + dir.path);
  s->put("k", bytes("v"), {});
  fs::create_directory(dir.path + "/ro");
  ::chmod((dir.path + "/ro").c_str(), 0500);
  auto e = error_of([&] { s->put("ro/x", bytes("v"), {}); });
  EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
  EXPECT_NE(std::string(e.what()).find("ro/x"), std::string::npos) << e.what();
  ::chmod((dir.path + "/ro").c_str(), 0700);
}

}  // namespace
}  // namespace bdbtest
