// Host mirror of arduino-libraries/Arduino_JSON 0.2.0 src/{Arduino_JSON.h, JSON.h, JSONVar.h}:
// the JSONVar operations and the global JSON object. Declarations only.
#pragma once

#include <Arduino.h>

#include <cstddef>

struct cJSON;

class JSONVar : public Printable {
public:
  JSONVar();
  JSONVar(bool b);
  JSONVar(int i);
  JSONVar(long l);
  JSONVar(unsigned long ul);
  JSONVar(double d);
  JSONVar(const char *s);
  JSONVar(const String &s);
  JSONVar(const JSONVar &v);
  JSONVar(JSONVar &&v);
  JSONVar(std::nullptr_t);
  virtual ~JSONVar();

  virtual size_t printTo(Print &p) const;

  void operator=(const JSONVar &v);
  JSONVar &operator=(JSONVar &&v);
  void operator=(bool b);
  void operator=(int i);
  void operator=(long l);
  void operator=(unsigned long ul);
  void operator=(double d);
  void operator=(const char *s);
  void operator=(const String &s);
  void operator=(std::nullptr_t);

  JSONVar operator[](const char *key);
  JSONVar operator[](const String &key);
  JSONVar operator[](int index);
  JSONVar operator[](const JSONVar &key);

  static String stringify(const JSONVar &value);
};

class JSONClass {
public:
  JSONClass();
  virtual ~JSONClass();
  JSONVar parse(const char *s);
  JSONVar parse(const String &s);
  String stringify(const JSONVar &value);
};

extern JSONClass JSON;
