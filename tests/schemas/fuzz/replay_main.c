/* Runs the fuzz target over corpus files and directories without libFuzzer (the fallback
 * when clang's libFuzzer is not available, and a plain regression run).
 *   replay FILE_OR_DIR... */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf;
  long len;
  size_t got;
  if (!f) return perror(path), 1;
  fseek(f, 0, SEEK_END);
  len = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (uint8_t *)malloc(len > 0 ? (size_t)len : 1);
  got = fread(buf, 1, (size_t)(len > 0 ? len : 0), f);
  fclose(f);
  LLVMFuzzerTestOneInput(buf, got);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  int i, failed = 0;
  long runs = 0;
  for (i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) return perror(argv[i]), 1;
    if (S_ISDIR(st.st_mode)) {
      DIR *d = opendir(argv[i]);
      struct dirent *e;
      if (!d) return perror(argv[i]), 1;
      while ((e = readdir(d)) != NULL) {
        char path[4096];
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
        failed |= run_file(path);
        runs++;
      }
      closedir(d);
    } else {
      failed |= run_file(argv[i]);
      runs++;
    }
  }
  printf("replayed %ld inputs\n", runs);
  return failed;
}
