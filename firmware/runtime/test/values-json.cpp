// values-test cases: Arduino_JSON (see values-test.cpp).
#include "values-test.h"

// --- JSON ----------------------------------------------------------------------------------------

void jsonBuild() {
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

void jsonNumbers() {
  const double values[] = {0.1 + 0.2, 1.0 / 3, 1e21, 1e-7, 1e15, 123456789012345678.0, -0.0};
  std::string out;
  for (double v : values) out += std::string(JSON.stringify(JSONVar(v)).c_str()) + " ";
  emit("json.numbers", out);
  emit("json.number.nan", JSON.stringify(JSONVar(NAN)));
  emit("json.number.inf", JSON.stringify(JSONVar(-INFINITY)));
  emit("json.int.max", JSON.stringify(JSONVar(2147483647)));
}

void jsonAccess() {
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

void jsonParse() {
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
