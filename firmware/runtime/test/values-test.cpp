// Exercises the runtime's value types and prints one line per case: `name<TAB>value`, the value
// with bytes outside printable ASCII (and '\') written as \xNN. The expected values live in
// host/test/firmware-runtime-values.test.ts; this program only reports what the code does.
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <string>

#include "Arduino_JSON.h"
#include "IPAddress.h"
#include "Print.h"
#include "Stream.h"
#include "WString.h"

// --- stand-ins for the runtime core ------------------------------------------------------------
// A fake clock that advances 1 ms per yield(), masked to 32 bits as the runtime's millis() is.
// C linkage, as the core (esp32-hal.h) declares them.
static unsigned long long fakeClock = 0;
static unsigned long yields = 0;
extern "C" {
unsigned long millis(void) { return static_cast<unsigned long>(fakeClock & 0xFFFFFFFFull); }
void delay(uint32_t ms) { fakeClock += ms; }
void yield(void) {
  ++fakeClock;
  ++yields;
}
}

// --- output ------------------------------------------------------------------------------------

static void emitBytes(const char *name, const char *bytes, size_t length) {
  printf("%s\t", name);
  for (size_t i = 0; i < length; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      putchar(c);
    } else {
      printf("\\x%02x", c);
    }
  }
  putchar('\n');
}

static void emit(const char *name, const std::string &value) { emitBytes(name, value.data(), value.size()); }
static void emit(const char *name, const char *value) { emit(name, std::string(value ? value : "(null)")); }
static void emit(const char *name, const String &value) {
  if (value.c_str() == nullptr) {
    emit(name, "(invalid)");
  } else {
    emitBytes(name, value.c_str(), value.length());
  }
}
static void emit(const char *name, long long value) { emit(name, std::to_string(value)); }
static void emit(const char *name, int value) { emit(name, static_cast<long long>(value)); }
static void emit(const char *name, unsigned long value) { emit(name, std::to_string(value)); }
static void emit(const char *name, bool value) { emit(name, value ? "true" : "false"); }

/** A Print that keeps what it is given. */
class Capture : public Print {
public:
  using Print::write;
  size_t write(uint8_t b) override {
    text += static_cast<char>(b);
    return 1;
  }
  std::string take() {
    std::string out;
    out.swap(text);
    return out;
  }
  std::string text;
};

/** A Stream over fixed bytes: read()/peek() return -1 once they are used up. */
class FixedStream : public Stream {
public:
  explicit FixedStream(const char *bytes) : data(bytes) {}
  using Print::write;
  size_t write(uint8_t) override { return 0; }
  int available() override { return static_cast<int>(data.size() - pos); }
  int read() override { return pos < data.size() ? static_cast<unsigned char>(data[pos++]) : -1; }
  int peek() override { return pos < data.size() ? static_cast<unsigned char>(data[pos]) : -1; }
  std::string data;
  size_t pos = 0;
};

// --- String ------------------------------------------------------------------------------------

static void stringNumbers() {
  emit("string.double.default", String(3.14159));
  emit("string.double.negative-half-unit", String(-0.005));
  emit("string.double.negative-rounds-to-zero", String(-0.001));
  emit("string.double.rounds-up", String(1.999));
  emit("string.double.zero-places", String(2.5, 0));
  emit("string.double.three-places", String(0.125, 3));
  emit("string.double.large", String(1e10));
  emit("string.float", String(3.14159f));
  emit("string.double.nan", String(NAN));
  emit("string.double.inf", String(INFINITY));
  emit("string.double.minus-inf", String(-INFINITY));
  emit("string.int", String(-42));
  emit("string.int.hex", String(255, HEX));
  emit("string.int.bin", String(5, BIN));
  emit("string.int.negative-hex", String(-100, HEX));
  emit("string.long.negative-hex", String(-100L, HEX));
  emit("string.uchar", String(static_cast<unsigned char>(65)));
  emit("string.char", String('A'));
  emit("string.char.nul-length", static_cast<int>(String('\0').length()));
  emit("string.ulong.32bit-max", String(4294967295UL));
  emit("string.ulonglong.max", String(18446744073709551615ULL));
  emit("string.longlong.min", String(-9223372036854775807LL - 1));
}

static void stringConcat() {
  emit("string.sum.mixed", "a" + String(1) + 2);
  emit("string.sum.double", String("x") + 1.5);
  emit("string.sum.float", String("v=") + 3.14159f);
  emit("string.sum.uchar", String("n") + static_cast<unsigned char>(7));
  emit("string.sum.char", String("c") + 'd');
  emit("string.sum.flash", String("f") + F("lash"));
  String left("keep");
  String joined = left + "!";
  emit("string.sum.left-unchanged", left + "|" + joined);
  String s("ab");
  s += s;
  emit("string.concat.self", s);
  String d;
  d += 2.0;
  d += ' ';
  d += 7u;
  d += -3L;
  emit("string.concat.various", d);
  String nul("x");
  nul.concat('\0');
  emit("string.concat.nul-char-length", static_cast<int>(nul.length()));
  emit("string.flash", String(F("flash")));
  String tail("abcdef");
  tail += tail.c_str() + 3;
  emit("string.concat.own-tail", tail);
}

static void stringCapacity() {
  String big;
  emit("string.reserve.max", big.reserve(65519));
  emit("string.reserve.over", big.reserve(65520));
  for (int i = 0; i < 65519; ++i) big += 'x';
  emit("string.capacity.length-at-max", static_cast<int>(big.length()));
  emit("string.capacity.concat-over", big.concat("y"));
  big += "z";
  emit("string.capacity.length-after-failed", static_cast<int>(big.length()));
  String sum = big + "yy";
  emit("string.capacity.sum-over", sum);
  emit("string.capacity.sum-over-length", static_cast<int>(sum.length()));
  String small("ok");
  emit("string.capacity.small-unchanged", small.concat(big) ? "grew" : small.c_str());
}

static void stringCompare() {
  emit("string.eq", String("abc") == "abc");
  emit("string.ne", String("abc") != String("abd"));
  emit("string.lt", String("abc") < String("abd"));
  emit("string.compareTo.sign", String("b").compareTo(String("a")) > 0);
  emit("string.equalsIgnoreCase", String("HeLLo").equalsIgnoreCase(String("hello")));
  emit("string.equals.empty-vs-null", String("").equals(static_cast<const char *>(nullptr)));
  emit("string.startsWith", String("hello").startsWith("he"));
  emit("string.startsWith.offset", String("hello").startsWith(String("ll"), 2));
  emit("string.startsWith.longer", String("he").startsWith("hello"));
  emit("string.endsWith", String("hello").endsWith("llo"));
  emit("string.endsWith.not", String("hello").endsWith("hel"));
}

static void stringAccessAndSearch() {
  String s("hello world");
  emit("string.charAt", std::string(1, s.charAt(1)));
  emit("string.index-past-end", static_cast<int>(s[100]));
  String t("cat");
  t.setCharAt(0, 'b');
  t.setCharAt(9, 'x');
  emit("string.setCharAt", t);
  emit("string.indexOf.char", s.indexOf('l'));
  emit("string.indexOf.char-from", s.indexOf('l', 4));
  emit("string.indexOf.string", s.indexOf("wor"));
  emit("string.indexOf.missing", s.indexOf('z'));
  emit("string.lastIndexOf.char", s.lastIndexOf('o'));
  emit("string.lastIndexOf.string", s.lastIndexOf("l"));
  emit("string.lastIndexOf.char-from", s.lastIndexOf('o', 5));
  emit("string.substring.from", s.substring(6));
  emit("string.substring.swapped", s.substring(4, 1));
  emit("string.substring.clamped", s.substring(3, 100));
  emit("string.substring.past-end", s.substring(50));
  char buf[4];
  s.toCharArray(buf, sizeof(buf));
  emit("string.toCharArray", buf);
  s.getBytes(reinterpret_cast<unsigned char *>(buf), sizeof(buf), 6);
  emit("string.getBytes.index", buf);
}

static void stringEdit() {
  String a("hello world");
  a.replace("l", "L");
  emit("string.replace.same-length", a);
  String b("a--b--c");
  b.replace("--", "-");
  emit("string.replace.shorter", b);
  String c("x.y.z");
  c.replace(".", "::");
  emit("string.replace.longer", c);
  String overlap("aaa");
  overlap.replace("aa", "bbb");
  emit("string.replace.longer-overlapping", overlap);
  String d("a-b");
  d.replace('-', '+');
  emit("string.replace.char", d);
  String e("hello world");
  e.remove(5);
  emit("string.remove.tail", e);
  String f("hello world");
  f.remove(0, 6);
  emit("string.remove.count", f);
  String g("MiXed 1");
  g.toLowerCase();
  String h("MiXed 1");
  h.toUpperCase();
  emit("string.case", g + "|" + h);
  String i("  \t hi there \r\n");
  i.trim();
  emit("string.trim", i);
  String j("   ");
  j.trim();
  emit("string.trim.all-space-length", static_cast<int>(j.length()));
  emit("string.toInt", static_cast<long long>(String("  42abc").toInt()));
  emit("string.toInt.negative", static_cast<long long>(String("-17").toInt()));
  emit("string.toFloat", String(String("3.5").toFloat(), 3));
  emit("string.toDouble", String(String("2.25").toDouble(), 3));
  String k("abc");
  k.clear();
  emit("string.clear", k.isEmpty());
}

static void stringInvalid() {
  String s(static_cast<const char *>(nullptr));
  emit("string.invalid", s);
  emit("string.invalid.length", static_cast<int>(s.length()));
  emit("string.invalid.bool", s ? true : false);
  emit("string.valid.bool", String("") ? true : false);
  s += "now";
  emit("string.invalid.concat-revives", s);
  emit("string.emptyString", static_cast<int>(emptyString.length()));
}

// --- Print ---------------------------------------------------------------------------------------

static void print() {
  Capture p;
  p.print(1e10);
  emit("print.double.ovf", p.take());
  p.print(-5e9);
  emit("print.double.negative-ovf", p.take());
  p.print(2.5, 0);
  emit("print.double.zero-digits", p.take());
  p.print(3.14159);
  emit("print.double.default", p.take());
  p.print(-1.25, 1);
  emit("print.double.negative", p.take());
  p.print(1.999);
  emit("print.double.rounds-up", p.take());
  p.print(-0.001);
  emit("print.double.negative-zero", p.take());
  p.print(NAN);
  emit("print.double.nan", p.take());
  p.print(-INFINITY);
  emit("print.double.minus-inf", p.take());
  p.print(4294967040.0, 0);
  emit("print.double.limit", p.take());
  p.print(4294967041.0, 0);
  emit("print.double.past-limit", p.take());
  p.print(255, HEX);
  emit("print.int.hex", p.take());
  p.print(255, BIN);
  emit("print.int.bin", p.take());
  p.print(8, OCT);
  emit("print.int.oct", p.take());
  p.print(-1, HEX);
  emit("print.int.negative-hex", p.take());
  size_t n = p.print(-42);
  emit("print.int.negative", p.take() + "/" + std::to_string(n));
  p.print(static_cast<unsigned char>(65));
  emit("print.uchar", p.take());
  p.print('A');
  emit("print.char", p.take());
  p.print(66, 0);
  emit("print.base0-byte", p.take());
  p.print(-9223372036854775807LL - 1);
  emit("print.longlong.min", p.take());
  p.print(18446744073709551615ULL, HEX);
  emit("print.ulonglong.hex", p.take());
  p.println("x");
  emit("print.println", p.take());
  p.println();
  emit("print.println.empty", p.take());
  p.println(7);
  emit("print.println.int", p.take());
  p.print(F("flash"));
  p.print(String("+string"));
  emit("print.flash-and-string", p.take());
  n = p.printf("%d-%s-%05.1f", 7, "x", 2.3);
  emit("print.printf", p.take() + "/" + std::to_string(n));
  std::string longArg(100, 'a');
  n = p.printf("[%s]", longArg.c_str());
  emit("print.printf.long", std::to_string(p.take().size()) + "/" + std::to_string(n));
  struct tm when = {};
  when.tm_year = 124;
  when.tm_mon = 0;
  when.tm_mday = 2;
  when.tm_hour = 3;
  when.tm_min = 4;
  when.tm_sec = 5;
  p.print(&when, "%Y-%m-%d %H:%M:%S");
  emit("print.tm", p.take());
}

// --- Stream --------------------------------------------------------------------------------------

static void stream() {
  FixedStream a("abc-123x");
  emit("stream.parseInt", static_cast<long long>(a.parseInt()));
  emit("stream.parseInt.rest", std::string(1, static_cast<char>(a.read())));
  FixedStream b(" 42");
  emit("stream.parseInt.skip-none", static_cast<long long>(b.parseInt(SKIP_NONE)));
  emit("stream.parseInt.skip-none-untouched", static_cast<int>(b.pos));
  FixedStream c(" \t7,5");
  emit("stream.parseInt.skip-whitespace", static_cast<long long>(c.parseInt(SKIP_WHITESPACE)));
  FixedStream d("x3.25y");
  emit("stream.parseFloat", String(d.parseFloat(), 3));
  FixedStream e("ab,cd");
  e.setTimeout(20);
  emit("stream.readStringUntil", e.readStringUntil(','));
  emit("stream.readString", e.readString());
  FixedStream f("hello\nrest");
  char buf[16] = {};
  size_t got = f.readBytesUntil('\n', buf, sizeof(buf));
  emit("stream.readBytesUntil", std::string(buf, got) + "/" + std::to_string(got));
  FixedStream g("haystack needle tail");
  g.setTimeout(20);
  emit("stream.find", g.find("needle"));
  emit("stream.find.rest", g.readString());
  FixedStream h("aaab!");
  h.setTimeout(20);
  emit("stream.find.overlapping-prefix", h.find("aab"));
  emit("stream.find.overlapping-rest", h.readString());
  FixedStream i("abc");
  i.setTimeout(20);
  emit("stream.find.missing", i.find("zz"));
  FixedStream j("a,b;c");
  j.setTimeout(20);
  emit("stream.findUntil.terminated", j.findUntil("c", ";"));
  FixedStream k("xy");
  k.setTimeout(20);
  emit("stream.readBytes.short", static_cast<long long>(k.readBytes(buf, 4)));

  FixedStream empty("");
  empty.setTimeout(50);
  yields = 0;
  emit("stream.timeout.empty-read", empty.readString());
  emit("stream.timeout.ms-waited", static_cast<long long>(yields));
  // Across the 32-bit wrap of millis() the wait is still the full timeout.
  fakeClock = 0xFFFFFFF0ull;
  yields = 0;
  empty.readString();
  emit("stream.timeout.ms-waited-across-wrap", static_cast<long long>(yields));
}

// --- IPAddress -----------------------------------------------------------------------------------

static void ipAddress() {
  IPAddress ip(192, 168, 4, 1);
  emit("ip.toString", ip.toString());
  emit("ip.uint32", static_cast<unsigned long>(static_cast<uint32_t>(ip)));
  emit("ip.from-uint32", IPAddress(0x0104A8C0u).toString());
  emit("ip.index", static_cast<int>(ip[2]));
  emit("ip.equal", IPAddress(1, 2, 3, 4) == IPAddress(0x04030201u));
  Capture p;
  size_t n = p.print(ip);
  emit("ip.print", p.take() + "/" + std::to_string(n));
  IPAddress parsed;
  bool ok = parsed.fromString("10.0.0.255");
  emit("ip.fromString", String(ok ? "ok " : "fail ") + parsed.toString());
  emit("ip.fromString.octet-too-big", IPAddress().fromString("256.1.1.1"));
  emit("ip.fromString.too-few-dots", IPAddress().fromString("1.2.3"));
  emit("ip.fromString.too-many-dots", IPAddress().fromString("1.2.3.4.5"));
  emit("ip.fromString.letters", IPAddress().fromString("a.b.c.d"));
  emit("ip.fromString.String", IPAddress().fromString(String("8.8.4.4")));
}

// --- JSON ----------------------------------------------------------------------------------------

static void jsonBuild() {
  JSONVar reading;
  reading["time"] = String(123);
  emit("json.time", JSON.stringify(reading));
  JSONVar n;
  n["n"] = 3.14159;
  emit("json.double", JSON.stringify(n));
  JSONVar big;
  big["big"] = 4294967295UL;
  emit("json.big", JSON.stringify(big));
  JSONVar neg;
  neg["i"] = -7;
  emit("json.negative-int", JSON.stringify(neg));
  JSONVar nested;
  nested["a"]["b"][1] = true;
  nested["a"]["c"] = "d";
  emit("json.nested", JSON.stringify(nested));
  JSONVar order;
  order["z"] = 1;
  order["a"] = 2;
  order["m"] = 3;
  order["a"] = 4;
  emit("json.insertion-order", JSON.stringify(order));
  JSONVar arr;
  arr[0] = 1;
  arr[2] = "x";
  emit("json.array", JSON.stringify(arr) + String(" length ") + String(arr.length()));
  JSONVar kinds;
  kinds["t"] = true;
  kinds["f"] = false;
  kinds["n"] = null;
  kinds["l"] = -5L;
  kinds["s"] = String("hi");
  emit("json.kinds", JSON.stringify(kinds));
  JSONVar text;
  text["e"] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f \xc3\xa9";
  emit("json.escapes", JSON.stringify(text));
}

static void jsonNumbers() {
  const double values[] = {0.1 + 0.2, 1.0 / 3, 1e21, 1e-7, 1e15, 123456789012345678.0, -0.0};
  std::string out;
  for (double v : values) out += std::string(JSON.stringify(JSONVar(v)).c_str()) + " ";
  emit("json.numbers", out);
  emit("json.number.nan", JSON.stringify(JSONVar(NAN)));
  emit("json.number.inf", JSON.stringify(JSONVar(-INFINITY)));
  emit("json.int.max", JSON.stringify(JSONVar(2147483647)));
}

static void jsonAccess() {
  JSONVar o;
  o["a"] = 1;
  o["s"] = "str";
  o["ok"] = true;
  o["one"] = 1.0;
  (void)static_cast<int>(o["missing"]);
  emit("json.read-adds-null", JSON.stringify(o));
  emit("json.hasOwnProperty", String(o.hasOwnProperty("a") ? "a " : "") + (o.hasOwnProperty("zz") ? "zz" : "-"));
  emit("json.keys", JSON.stringify(o.keys()));
  emit("json.keys.not-object", JSON.typeof(JSONVar(1).keys()));
  emit("json.to-const-char", static_cast<const char *>(o["s"]));
  emit("json.to-const-char.not-string", static_cast<const char *>(o["a"]));
  emit("json.to-bool", String(static_cast<bool>(o["ok"]) ? "true" : "false") + "," +
                           (static_cast<bool>(o["one"]) ? "true" : "false"));
  emit("json.to-int.truncates", static_cast<int>(JSON.parse("2.9")));
  emit("json.to-int.saturates", static_cast<int>(JSONVar(4294967295UL)));
  emit("json.to-long.saturates", static_cast<long long>(static_cast<long>(JSONVar(4294967295UL))));
  emit("json.to-double.not-number", isnan(static_cast<double>(o["s"])));
  emit("json.length.string-uses-key", o["s"].length());
  emit("json.length.object", o.length());
  o["a"] = undefined;
  emit("json.assign-undefined-removes", JSON.stringify(o));
  JSONVar copy = o;
  copy["added"] = 1;
  emit("json.copy-is-deep", JSON.stringify(o));
  JSONVar alias = o["s"];
  alias = "changed";
  emit("json.member-refers-into-parent", JSON.stringify(o["s"]));
  JSONVar target;
  target["k"] = JSON.parse("[1]");
  emit("json.move-assign-swaps", JSON.stringify(target));
  JSONVar viaCopy;
  JSONVar parsed = JSON.parse("[1]");
  viaCopy["k"] = parsed;
  emit("json.copy-assign-into-member", JSON.stringify(viaCopy));
  Capture p;
  size_t n = p.print(viaCopy);
  emit("json.printTo", p.take() + "/" + std::to_string(n));
  emit("json.stringify.undefined", JSON.stringify(JSONVar()));
  emit("json.equal", JSON.parse("[1,{\"a\":2}]") == JSON.parse(" [ 1 , { \"a\" : 2.0 } ] "));
  emit("json.equal.not", JSON.parse("[1]") == JSON.parse("[2]"));
  emit("json.equal.null", JSON.parse("null") == nullptr);
}

static void jsonParse() {
  emit("json.parse.round-trip",
       JSON.stringify(JSON.parse("{\"a\":[1,2.5,\"x\",true,false,null,{\"b\":{}}],\"c\":[]}")));
  emit("json.parse.whitespace", JSON.stringify(JSON.parse(" \r\n\t{ \"k\" : [ 1 , -2e3 ] } ")));
  emit("json.parse.unicode", JSON.stringify(JSON.parse("\"\\u00e9\\ud83d\\ude00\\u0041\\/\\n\"")));
  emit("json.parse.utf8-passthrough", JSON.stringify(JSON.parse("\"\xc3\xa9\"")));
  emit("json.parse.trailing-text-ignored", JSON.stringify(JSON.parse("[1] x")));
  emit("json.parse.bom", JSON.stringify(JSON.parse("\xEF\xBB\xBF{\"a\":1}")));
  emit("json.parse.number-forms", JSON.stringify(JSON.parse("[0,-0.5,1E2,1e-2,10.25]")));
  emit("json.parse.from-String", JSON.stringify(JSON.parse(String("{\"s\":\"v\"}"))));
  const char *bad[] = {"", "   ", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":}", "nul", "\"\\x\"", "[1 2]",
                       "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"abc", "{'a':1}", "+1", ".5", "-"};
  std::string types;
  for (const char *text : bad) types += std::string(JSON.typeof(JSON.parse(text)).c_str()) + " ";
  emit("json.parse.bad", types);
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  emit("json.parse.depth-1000", JSON.typeof(JSON.parse(deep.c_str())));
  std::string deeper(1001, '[');
  deeper += std::string(1001, ']');
  emit("json.parse.depth-1001", JSON.typeof(JSON.parse(deeper.c_str())));
  JSONVar values = JSON.parse("[null,true,1,\"s\",{},[]]");
  std::string kinds = std::string(JSON.typeof(JSONVar()).c_str());
  for (int i = 0; i < 6; ++i) kinds += std::string(" ") + JSONVar::typeof_(values[i]).c_str();
  emit("json.typeof", kinds);
  JSONVar doc = JSON.parse("{\"name\":\"esp\",\"n\":[10,20]}");
  emit("json.parse.access", String(static_cast<const char *>(doc["name"])) + " " +
                                String(static_cast<int>(doc["n"][1])) + " " + String(doc["n"].length()));
}

int main() {
  stringNumbers();
  stringConcat();
  stringCapacity();
  stringCompare();
  stringAccessAndSearch();
  stringEdit();
  stringInvalid();
  print();
  stream();
  ipAddress();
  jsonBuild();
  jsonNumbers();
  jsonAccess();
  jsonParse();
  return 0;
}
