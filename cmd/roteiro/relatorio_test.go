package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

const goodReport = "# Relatório\n\nintro\n\n" +
	"## Questão 1 — Backlog\n\nA fila do kernel...\n\n" +
	"```sh\n## Questão 2 dentro de um bloco de código não conta\n```\n\n" +
	"## Questao 2\n\nthreads × laço\n\n" +
	"## Desafio Extra — 200 conexões\n\n![200 clientes](docs/img/desafio%20200.png \"captura\")\n" +
	"<img src=\"docs/linha.svg\" width=400>\n![remota](https://example.com/x.png)\n\n" +
	"## Referências\n\n![fora do desafio](nao/existe.png)\n"

func writeReport(t *testing.T, text string, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("img"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestInspectReport(t *testing.T) {
	dir := writeReport(t, goodReport, "docs/img/desafio 200.png", "docs/linha.svg")
	lines, ok := inspectReport(goodReport, dir)
	text := strings.Join(lines, "\n")
	if !ok {
		t.Fatalf("relatório completo reprovado:\n%s", text)
	}
	for _, want := range []string{"✓ ## Questão 1 — Backlog (linha 5)", "✓ ## Questao 2 (linha 13)", "✓ ## Desafio Extra — 200 conexões",
		"✓ imagem docs/img/desafio%20200.png", "✓ imagem docs/linha.svg", "— imagem https://example.com/x.png: endereço externo, não conferido"} {
		if !strings.Contains(text, want) {
			t.Errorf("sem %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "nao/existe.png") {
		t.Errorf("imagem de fora do Desafio conferida:\n%s", text)
	}

	for _, c := range []struct {
		name, text, want string
	}{
		{"sem Questão 2", strings.Replace(goodReport, "## Questao 2", "## Outra coisa", 1), `✗ falta a seção "## Questão 2"`},
		{"Questão 1 vazia", "## Questão 1 — Backlog\n\n  \n## Questão 2\ny\n## Desafio Extra\n![a](docs/linha.svg)\n", "✗ a seção \"## Questão 1 — Backlog\" (linha 1) está vazia"},
		{"sem Desafio", strings.Replace(goodReport, "## Desafio Extra", "## Desafio", 1), `✗ falta a seção "## Desafio Extra"`},
		{"imagem que não existe", strings.Replace(goodReport, "docs/linha.svg", "docs/sumiu.svg", 1), "✗ imagem docs/sumiu.svg do Desafio Extra: o arquivo não existe"},
		{"sem imagem", "## Questão 1\nx\n## Questão 2\ny\n## Desafio Extra\nsó texto\n", "✗ o Desafio Extra não mostra nenhuma imagem"},
		{"só imagem remota", "## Questão 1\nx\n## Questão 2\ny\n## Desafio Extra\n![a](https://x.y/a.png)\n", "✗ o Desafio Extra só tem imagens de fora do repositório"},
		{"título no bloco de código", "## Questão 1\nx\n```\n## Questão 2\n```\n## Desafio Extra\n![a](docs/linha.svg)\n", `✗ falta a seção "## Questão 2"`},
	} {
		lines, ok := inspectReport(c.text, dir)
		if text := strings.Join(lines, "\n"); ok || !strings.Contains(text, c.want) {
			t.Errorf("%s: ok=%v, queria %q:\n%s", c.name, ok, c.want, text)
		}
	}
}

// O relatório deste repositório passa na conferência que a correção
// automática faz, e um incompleto sai com 1.
func TestReportCommand(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", filepath.Join("..", "..", "RELATORIO.md"))
	if code != 0 || !strings.Contains(stdout, "relatório ok") {
		t.Errorf("RELATORIO.md deste repositório: código %d\n%s%s", code, stdout, stderr)
	}
	bad := filepath.Join(writeReport(t, ""), "R.md")
	os.WriteFile(bad, []byte("## Questão 1\nx\n"), 0o644)
	stdout, _, code = e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", bad)
	if code != 1 || !strings.Contains(stdout, "✗ falta a seção") {
		t.Errorf("relatório incompleto: código %d\n%s", code, stdout)
	}
	if _, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", filepath.Join(t.TempDir(), "nao-existe.md")); code != 1 || stderr == "" {
		t.Errorf("relatório que não existe: código %d, %q", code, stderr)
	}
}
