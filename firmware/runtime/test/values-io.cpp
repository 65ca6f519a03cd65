// values-test cases: Print, Stream and IPAddress (see values-test.cpp).
#include "values-test.h"

// --- Print ---------------------------------------------------------------------------------------

void print() {
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

void stream() {
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

void ipAddress() {
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
