// How keys map to paths under the base directory.
//
// Each '/'-separated segment becomes one path component, with two escapes so that the mapping
// is reversible and never collides with the driver's own files (whose names start with '.'):
// '%' is written "%25" and a leading '.' is written "%2E". Every other byte but NUL is kept as
// is, so typical keys ("db/committed/00000000000000000042") read naturally on disk.
// Keys a directory tree cannot hold are refused: empty segments (leading, trailing or double
// '/'), "." and "..", and segments longer than NAME_MAX once escaped.
#pragma once

#include <string>

namespace filedrv {

std::string encode_segment(const std::string &segment);

// The segment a directory entry holds; false for a name encode_segment never produces
// (the driver's own files, or files someone else put there).
bool decode_name(const std::string &name, std::string *segment);

// The relative path of key ("enc(a)/enc(b)"); false with *why when the key is refused.
bool key_to_path(const char *key, std::string *rel, std::string *why);

// "a/b/c" -> "a/b" and "c"; "c" -> "" and "c".
void split_path(const std::string &rel, std::string *dir, std::string *leaf);

}  // namespace filedrv
