// Clean-room `JSONVar` and `JSON` with the API of arduino-libraries/Arduino_JSON 0.2.0
// (src/JSONVar.h, src/JSON.h; LGPL-2.1, nothing copied) and the text of the cJSON 1.7.14 it
// bundles (MIT). Facts it follows:
// - output is cJSON_PrintUnformatted: no spaces; objects keep insertion order; numbers with
//   %1.15g, or %1.17g when %1.15g does not read back within DBL_EPSILON (relative); NaN and
//   infinities print null; strings escape " \ \b \f \n \r \t, other bytes below 0x20 as \u00xx,
//   and pass every other byte (UTF-8) through.
// - numbers are doubles; (int) and (long) saturate to the int range, as cJSON's valueint does.
// - parsing is cJSON_Parse: text after the first value is ignored, nesting is limited to 1000,
//   \uXXXX escapes (with surrogate pairs) become UTF-8; failure gives an undefined JSONVar.
// - `v[key]` turns v into an object (and `v[i]` into an array) and adds a missing key as null,
//   even when only read; the result refers into v, so assigning to it changes v.
// - a JSONVar copy is deep; a move (e.g. assigning a temporary) swaps the two, as the library
//   does, so `obj["k"] = JSON.parse(text)` leaves obj["k"] null on the board too.
// - `v = undefined` (the global) removes v's key from its parent object.
// - the header defines `typeof` as `typeof_` and `null` as `nullptr`, as the real one does.
#pragma once

#include <stddef.h>

#include <cstddef>

#include "Print.h"
#include "Printable.h"
#include "WString.h"

namespace esp_sse_json {
struct Node;
}

#define typeof typeof_
#define null nullptr

/** A JSON value: undefined, null, boolean, number, string, array or object. */
class JSONVar : public Printable {
public:
  /** undefined */
  JSONVar();
  JSONVar(bool b);
  JSONVar(int i);
  JSONVar(long l);
  JSONVar(unsigned long ul);
  JSONVar(double d);
  /** A string; a null pointer gives undefined. */
  JSONVar(const char *s);
  JSONVar(const String &s);
  /** Deep copy, detached from any parent. */
  JSONVar(const JSONVar &v);
  /** Takes over v (including its link into a parent); v becomes undefined. */
  JSONVar(JSONVar &&v);
  /** null */
  JSONVar(std::nullptr_t);
  virtual ~JSONVar();

  /** Prints JSON.stringify(*this); nothing for undefined. */
  virtual size_t printTo(Print &p) const;

  /** true only for the boolean true. */
  operator bool() const;
  /** A number saturated to the int range; 0 for anything else. */
  operator int() const;
  operator long() const;
  /** A number; NaN for anything else. */
  operator double() const;
  /** A string's text; nullptr for anything else. */
  operator const char *() const;

  /** Deep copy of v into this place (in its parent, if any); `= undefined` removes the key. */
  void operator=(const JSONVar &v);
  /** Swaps this and v (links to parents included). */
  JSONVar &operator=(JSONVar &&v);
  void operator=(bool b);
  void operator=(int i);
  void operator=(long l);
  void operator=(unsigned long ul);
  void operator=(double d);
  void operator=(const char *s);
  void operator=(const String &s);
  void operator=(std::nullptr_t);

  /** Deep equality (numbers within DBL_EPSILON, relative); two undefined are equal. */
  bool operator==(const JSONVar &v) const;
  /** Is this null? */
  bool operator==(std::nullptr_t) const;

  /** The member `key`, added as null when missing; makes this an object first if it is not. */
  JSONVar operator[](const char *key);
  JSONVar operator[](const String &key);
  /** Element `index`, growing the array with nulls; makes this an array first if it is not. */
  JSONVar operator[](int index);
  /** An array index (number) or an object key (string); undefined otherwise. */
  JSONVar operator[](const JSONVar &key);

  /**
   * Arrays: the element count. Strings: as in the library, the length of the string's own key
   * when it sits in an object (the value's length otherwise). Anything else: -1.
   */
  int length() const;
  /** An array of the object's keys in order; undefined when this is not an object. */
  JSONVar keys() const;
  bool hasOwnProperty(const char *key) const;
  bool hasOwnProperty(const String &key) const;

  static JSONVar parse(const char *s);
  static JSONVar parse(const String &s);
  /** Unformatted JSON; an invalid String (c_str() == nullptr) for undefined. */
  static String stringify(const JSONVar &value);
  /** "undefined", "null", "boolean", "number", "string", "array" or "object". */
  static String typeof_(const JSONVar &value);

private:
  JSONVar(esp_sse_json::Node *json, esp_sse_json::Node *parent);
  /** Puts `json` where this value is (in the parent, if any) and frees the old value. */
  void replaceJson(esp_sse_json::Node *json);

  esp_sse_json::Node *_json;    // nullptr: undefined
  esp_sse_json::Node *_parent;  // the container _json lives in (which owns it), or nullptr
};

/** The undefined value; assigning it to an object member deletes the member. */
extern JSONVar undefined;

/** The `JSON` object: JSON.parse, JSON.stringify, JSON.typeof. */
class JSONClass {
public:
  JSONClass();
  virtual ~JSONClass();
  JSONVar parse(const char *s);
  JSONVar parse(const String &s);
  String stringify(const JSONVar &value);
  String typeof_(const JSONVar &value);
};

extern JSONClass JSON;
