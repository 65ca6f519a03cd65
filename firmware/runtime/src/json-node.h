// Internal to the runtime's Arduino_JSON: the value tree both the printer/JSONVar side
// (Arduino_JSON.cpp) and the parser (Arduino_JSON-parse.cpp) work on.
#pragma once

#include <string>
#include <vector>

namespace esp_sse_json {

enum class Kind { False, True, Null, Number, Text, Array, Object };

/** One JSON value; a container owns its items. */
struct Node {
  explicit Node(Kind k) : kind(k) {}
  ~Node() {
    for (Node *item : items) delete item;
  }
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;

  Kind kind;
  double number = 0;
  std::string text;          // Text: the value (a C string: no NUL inside)
  bool hasKey = false;       // set for object members (and kept by copies of them)
  std::string key;
  std::vector<Node *> items;  // Array/Object
};

inline Node *makeNumber(double d) {
  Node *n = new Node(Kind::Number);
  n->number = d;
  return n;
}

/** cJSON_Parse: the value `s` holds, or nullptr for bad JSON (the caller owns the tree). */
Node *parseDocument(const char *s);

}  // namespace esp_sse_json
