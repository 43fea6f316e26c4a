// The Go-template subset renderer the Helm chart test relies on (test/helpers/render-template.ts): each
// construct renders as `helm template` would, and anything outside the subset is refused, not guessed.
import { renderTemplate } from "../helpers/render-template";

const root = {
  Values: {
    name: "kb",
    port: 8080,
    on: true,
    off: false,
    empty: "",
    none: [],
    names: ["A", "B"],
    map: { b: 2, a: "x\ny" },
    mode: "cluster",
  },
  Release: { Name: "rel" },
};

describe("renderTemplate (Go template subset of the Helm chart)", () => {
  test("prints values by path, literals and the release name", () => {
    expect(renderTemplate("{{ .Release.Name }}-{{ .Values.name }}:{{ .Values.port }}", root)).toBe(
      "rel-kb:8080",
    );
    expect(renderTemplate('{{ "lit" }} {{ 3 }}', root)).toBe("lit 3");
  });

  test("quote makes a YAML string of a number, so env values stay strings", () => {
    expect(renderTemplate("value: {{ .Values.port | quote }}", root)).toBe('value: "8080"');
  });

  test("{{- and -}} trim the whitespace (newlines included) on their side only", () => {
    expect(renderTemplate("a:\n  {{- .Values.name }}\n", root)).toBe("a:kb\n");
    expect(renderTemplate("a: {{ .Values.name -}}\n   b", root)).toBe("a: kbb");
  });

  test("toYaml | nindent indents every line of the block under the key", () => {
    expect(renderTemplate("m:\n  {{- toYaml .Values.map | nindent 2 }}\n", root)).toBe(
      "m:\n  b: 2\n  a: |-\n    x\n    y\n",
    );
  });

  test("if / else if / else follow Go truth: empty strings, lists and false are false", () => {
    const t =
      '{{- if .Values.off }}off{{- else if eq .Values.mode "cluster" }}cluster{{- else }}other{{- end }}';
    expect(renderTemplate(t, root)).toBe("cluster");
    expect(renderTemplate("{{ if .Values.none }}x{{ else }}y{{ end }}", root)).toBe("y");
    expect(renderTemplate("{{ if .Values.empty }}x{{ else }}y{{ end }}", root)).toBe("y");
    expect(renderTemplate("{{ if .Values.missing }}x{{ end }}", root)).toBe("");
    expect(renderTemplate("{{ if not .Values.off }}x{{ end }}", root)).toBe("x");
    expect(
      renderTemplate("{{ if .Values.on }}{{ if .Values.off }}a{{ else }}b{{ end }}{{ end }}", root),
    ).toBe("b");
  });

  test("range sets dot to each item; $ still reaches the root", () => {
    const t = "{{- range .Values.names }}\n- {{ . }}@{{ $.Release.Name }}{{- end }}";
    expect(renderTemplate(t, root)).toBe("\n- A@rel\n- B@rel");
    expect(renderTemplate("{{ range .Values.none }}x{{ end }}", root)).toBe("");
  });

  test("comments render nothing", () => {
    expect(renderTemplate("{{- /* why */ -}}\na", root)).toBe("a");
  });

  test("printing a missing value or a map is an error, not an empty string", () => {
    expect(() => renderTemplate("{{ .Values.nmae }}", root)).toThrow("has no value");
    expect(() => renderTemplate("{{ .Values.map }}", root)).toThrow("use toYaml");
  });

  test("syntax outside the subset is refused", () => {
    expect(() => renderTemplate('{{ include "x" . }}', root)).toThrow("outside the supported");
    expect(() => renderTemplate("{{ with .Values.map }}{{ end }}", root)).toThrow("outside the supported");
    expect(() => renderTemplate("{{ $x := 1 }}", root)).toThrow("outside the supported");
    expect(() => renderTemplate("{{ .Values.name | upper }}", root)).toThrow("not a supported");
    expect(() => renderTemplate("{{ if .Values.on }}x", root)).toThrow("missing {{ end }}");
    expect(() => renderTemplate("x{{ end }}", root)).toThrow("unexpected");
    expect(() => renderTemplate("{{ range .Values.map }}{{ end }}", root)).toThrow("only lists");
  });
});
