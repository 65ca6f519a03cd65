// values-test cases: String (see values-test.cpp).
#include "values-test.h"

// --- String ------------------------------------------------------------------------------------

void stringNumbers() {
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

void stringConcat() {
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

void stringCapacity() {
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

void stringCompare() {
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

void stringAccessAndSearch() {
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

void stringEdit() {
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

void stringInvalid() {
  String s(static_cast<const char *>(nullptr));
  emit("string.invalid", s);
  emit("string.invalid.length", static_cast<int>(s.length()));
  emit("string.invalid.bool", s ? true : false);
  emit("string.valid.bool", String("") ? true : false);
  s += "now";
  emit("string.invalid.concat-revives", s);
  emit("string.emptyString", static_cast<int>(emptyString.length()));
}
