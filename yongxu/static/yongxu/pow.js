/* The buy form's proof of work (yongxu/limits/pow.py): find a counter such that
   SHA-256("<challenge>:<counter>") starts with `bits` zero bits, put "<challenge>:<counter>" in the
   form's `pow` field and, when nothing needs typing again, send the form. Plain SHA-256 in JavaScript
   (crypto.subtle is missing on plain-HTTP pages and costs a promise per hash); the challenge's full
   64-byte blocks are hashed once, so each try is one compression. Works in slices, so the page stays
   responsive. */
(function () {
  "use strict";
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var W = new Int32Array(64);

  function compress(H, bytes, offset) {
    var t, a, b, c, d, e, f, g, h, x, y, t1, t2;
    for (t = 0; t < 16; t++) {
      var i = offset + t * 4;
      W[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
    }
    for (t = 16; t < 64; t++) {
      x = W[t - 15]; y = W[t - 2];
      W[t] = (W[t - 16] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + W[t - 7] +
              (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0;
    }
    a = H[0]; b = H[1]; c = H[2]; d = H[3]; e = H[4]; f = H[5]; g = H[6]; h = H[7];
    for (t = 0; t < 64; t++) {
      t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
            ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
            ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }

  function leadingZeros(H, bits) {
    for (var i = 0; bits > 0; i++, bits -= 32) {
      var word = H[i] >>> 0;
      if (bits >= 32 ? word !== 0 : (word >>> (32 - bits)) !== 0) return false;
    }
    return true;
  }

  /* Calls done(answer) once an answer is found. */
  function solve(challenge, bits, done) {
    var prefix = challenge + ":", n, i;
    var full = prefix.length - (prefix.length % 64);
    var head = new Uint8Array(full), mid = new Int32Array(INITIAL);
    for (i = 0; i < full; i++) head[i] = prefix.charCodeAt(i);
    for (i = 0; i < full; i += 64) compress(mid, head, i);
    var tail = prefix.slice(full), block = new Uint8Array(128), state = new Int32Array(8), counter = 0;
    function attempt(digits) {
      var text = tail + digits, length = text.length, total = (prefix.length + digits.length) * 8;
      var size = length + 9 <= 64 ? 64 : 128;
      block.fill(0);
      for (n = 0; n < length; n++) block[n] = text.charCodeAt(n);
      block[length] = 0x80;
      block[size - 4] = (total >>> 24) & 255; block[size - 3] = (total >>> 16) & 255;
      block[size - 2] = (total >>> 8) & 255; block[size - 1] = total & 255;
      state.set(mid);
      compress(state, block, 0);
      if (size === 128) compress(state, block, 64);
      return leadingZeros(state, bits);
    }
    function slice() {
      for (var end = counter + 20000; counter < end; counter++) {
        if (attempt(String(counter))) { done(prefix + counter); return; }
      }
      setTimeout(slice, 0);
    }
    slice();
  }

  window.yongxuPow = {solve: solve};

  function start() {
    var input = document.querySelector("input[data-pow-challenge]");
    if (!input) return;
    var form = input.form, button = form.querySelector("button[type=submit]"),
        status = form.querySelector("[data-pow-status]");
    if (button) button.disabled = true;
    solve(input.getAttribute("data-pow-challenge"), parseInt(input.getAttribute("data-pow-bits"), 10), function (answer) {
      input.value = answer;
      if (status) status.textContent = status.getAttribute("data-pow-done");
      if (button) button.disabled = false;
      if (input.hasAttribute("data-pow-autosubmit")) form.submit();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
