// Defence in depth against prototype pollution (issue #9): makes `obj.__proto__` throw, as Node's
// `--disable-proto=throw` does, so a request value that slips through validation can never write
// onto Object.prototype. keybridge's launchers pass the flag itself (bin/keybridge.js shebang, npm start,
// Dockerfile); this installs the same accessor when a process was started without it
// (`node bin/keybridge.js`, jest's test contexts). `Object.getPrototypeOf`/`setPrototypeOf` and the
// `{ __proto__: null }` literal are unaffected, and keybridge and its dependencies use only those.

function protoAccessorDisabled() {
  const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, "__proto__");
  if (!descriptor) return true; // --disable-proto=delete
  try {
    // biome-ignore lint/suspicious/noProto: probing whether the accessor throws is the point
    void {}.__proto__;
    return false;
  } catch {
    return true; // --disable-proto=throw, or this guard already installed
  }
}

/** The same error Node throws under the flag; libraries probe for its code (e.g. dunder-proto). */
function refuse() {
  const err = new Error(
    "Accessing Object.prototype.__proto__ has been disallowed with --disable-proto=throw",
  );
  err.code = "ERR_PROTO_ACCESS";
  throw err;
}

function disableProto() {
  if (protoAccessorDisabled()) return;
  Object.defineProperty(Object.prototype, "__proto__", { get: refuse, set: refuse, configurable: false });
}

disableProto();
module.exports = { disableProto, protoAccessorDisabled };
