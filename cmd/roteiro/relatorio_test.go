package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/edition"
)

// answer é uma resposta com n palavras.
func answer(n int) string { return strings.TrimSpace(strings.Repeat("palavra ", n)) }

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// reportDir cria uma pasta (a raiz de um repositório) com os arquivos dados.
func reportDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// report monta um relatório com as três seções (a pergunta citada, como no
// modelo) e os corpos dados.
func report(q1, q2, desafio string) string {
	quote := func(i int) string { return "> " + reportSections[i].Question + "\n\n" }
	return "# Relatório\n\nintro\n\n## Questão 1 — Backlog\n\n" + quote(0) + q1 + "\n\n" +
		"```sh\n## Questão 2 dentro de um bloco de código não conta\n```\n\n" +
		"## Questao 2\n\n" + quote(1) + q2 + "\n\n## Desafio Extra — 200 conexões\n\n" + quote(2) + desafio +
		"\n\n## Referências\n\n![fora do desafio](nao/existe.png)\n"
}

func TestInspectReport(t *testing.T) {
	svg := []byte("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n")
	dir := reportDir(t, map[string][]byte{
		"docs/img/desafio 200.png": pngBytes, "docs/linha.svg": svg, "go.mod": []byte("module x\n"),
		"docs/foto.jpg": []byte("\xff\xd8\xff\xe0JFIF"), "docs/anim.gif": []byte("GIF89a..."),
	})
	good := report(answer(40), "Resposta com `código` e mais "+answer(40),
		"![200 clientes](docs/img/desafio%20200.png \"captura\")\n<img src=\"docs/linha.svg\" width=400>\n"+
			"![remota](https://example.com/x.png)\n![](docs/foto.jpg) ![](docs/anim.gif)")
	lines, problems := inspectReport(good, dir)
	text := strings.Join(lines, "\n")
	if len(problems) > 0 {
		t.Fatalf("relatório completo reprovado: %q\n%s", problems, text)
	}
	for _, want := range []string{"✓ Questão 1 (linha 5): 40 palavras", "✓ Questão 2 (linha 15): 45 palavras",
		"✓ Desafio Extra (linha 21): imagem docs/img/desafio%20200.png", "imagem docs/linha.svg", "imagem docs/foto.jpg",
		"imagem docs/anim.gif", "— Desafio Extra (linha 21): imagem https://example.com/x.png é um endereço externo, não conferido"} {
		if !strings.Contains(text, want) {
			t.Errorf("sem %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "nao/existe.png") {
		t.Errorf("imagem de fora do Desafio conferida:\n%s", text)
	}

	img := "![200 clientes](docs/img/desafio%20200.png)"
	outside := filepath.Join(t.TempDir(), "fora.png")
	os.WriteFile(outside, pngBytes, 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "docs", "link.png")); err != nil && runtime.GOOS != "windows" {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text, want string
	}{
		{"sem Questão 2", strings.Replace(good, "## Questao 2", "## Outra coisa", 1), `Questão 2|falta a seção`},
		{"sem Desafio", strings.Replace(good, "## Desafio Extra", "## Desafio", 1), `Desafio Extra: falta a seção`},
		{"resposta x", report("x", answer(40), img), "Questão 1|a resposta tem 1 palavra(s); o mínimo é 40"},
		{"só TODO", report("TODO", answer(40), img), "Questão 1|sem resposta"},
		{"reticências", report(answer(40), "...\n\n…", img), "Questão 2|sem resposta"},
		{"comentário HTML", report("<!-- "+answer(50)+" -->", answer(40), img), "Questão 1|sem resposta"},
		{"comentário de várias linhas", report("<!--\n"+answer(50)+"\n-->\nTODO: "+answer(5), answer(40), img), "a resposta tem 5 palavra(s)"},
		{"bloco de código", report("```\n"+answer(50)+"\n```", answer(40), img), "Questão 1|sem resposta"},
		{"placeholder da edição", report(edition.Placeholder, answer(40), img), "Questão 1|sem resposta"},
		{"escreva aqui", report("Escreva aqui a sua resposta sobre o backlog.", answer(40), img), "Questão 1|sem resposta"},
		{"só a pergunta", report("", answer(40), img), "Questão 1|sem resposta"},
		{"sem imagem", report(answer(40), answer(40), "só texto"), "Desafio Extra|nenhuma imagem"},
		{"imagem num comentário", report(answer(40), answer(40), "<!-- "+img+" -->"), "Desafio Extra|nenhuma imagem"},
		{"imagem num bloco de código", report(answer(40), answer(40), "```md\n"+img+"\n```"), "Desafio Extra|nenhuma imagem"},
		{"imagem em `código`", report(answer(40), answer(40), "`"+img+"`"), "Desafio Extra|nenhuma imagem"},
		{"imagem que não existe", report(answer(40), answer(40), "![a](docs/sumiu.png)"), "imagem docs/sumiu.png: o arquivo não existe no repositório"},
		{"go.mod como imagem", report(answer(40), answer(40), "![](go.mod)"), "imagem go.mod: o conteúdo não é de uma imagem PNG, JPEG, GIF ou SVG"},
		{"o próprio relatório", report(answer(40), answer(40), "![](RELATORIO.md)"), "imagem RELATORIO.md: o arquivo não existe"},
		{"fora do repositório", report(answer(40), answer(40), "![](../"+filepath.Base(filepath.Dir(outside))+"/fora.png)"), "fica fora do repositório"},
		{"../../../etc/passwd", report(answer(40), answer(40), "![](../../../../../../../../etc/passwd)"), "fica fora do repositório"},
		{"caminho absoluto", report(answer(40), answer(40), "![]("+filepath.ToSlash(outside)+")"), "caminho absoluto"},
		{"uma imagem boa e uma quebrada", report(answer(40), answer(40), img+"\n![](docs/sumiu.png)"), "imagem docs/sumiu.png: o arquivo não existe"},
		{"só imagem remota", report(answer(40), answer(40), "![a](https://x.y/a.png)"), "Desafio Extra|só imagens de fora do repositório"},
		{"título no bloco de código", "## Questão 1\n" + answer(40) + "\n```\n## Questão 2\n```\n## Desafio Extra\n" + img + "\n", `Questão 2: falta a seção`},
	} {
		// want: "seção|o que falta", ou só o que falta.
		sec, msg, ok := strings.Cut(c.want, "|")
		if !ok {
			sec, msg = "", c.want
		}
		lines, problems := inspectReport(c.text, dir)
		found := false
		for _, p := range problems {
			found = found || strings.HasPrefix(p, sec) && strings.Contains(p, msg)
		}
		if !found {
			t.Errorf("%s: problemas %q, queria %q\n%s", c.name, problems, c.want, strings.Join(lines, "\n"))
		}
	}
	if runtime.GOOS != "windows" {
		_, problems := inspectReport(report(answer(40), answer(40), "![](docs/link.png)"), dir)
		if len(problems) != 1 || !strings.Contains(problems[0], "imagem docs/link.png: fica fora do repositório") {
			t.Errorf("link simbólico para fora do repositório: %q", problems)
		}
	}
}

// O relatório deste repositório traz a pergunta de cada questão, como o
// roteiro a escreve: a conferência a desconta da resposta, e a edição dos
// alunos a mostra acima do lugar da resposta.
func TestReportQuestionsInTemplate(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "RELATORIO.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := normalize(string(data))
	for _, s := range reportSections {
		if !strings.Contains(text, normalize(s.Question)) {
			t.Errorf("RELATORIO.md não traz a pergunta da %s como reportSections a tem:\n%s", s.Name, s.Question)
		}
	}
}

// O relatório deste repositório passa na conferência que a correção
// automática faz; o da edição dos alunos (as respostas tiradas) e um
// incompleto saem com 1, e a primeira linha diz o que falta.
func TestReportCommand(t *testing.T) {
	t.Parallel()
	model := filepath.Join("..", "..", "RELATORIO.md")
	stdout, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", model)
	if code != 0 || !strings.HasPrefix(stdout, "✓ relatório") || !strings.Contains(stdout, "o professor quem julga") {
		t.Errorf("RELATORIO.md deste repositório: código %d\n%s%s", code, stdout, stderr)
	}

	data, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	student, changed, err := edition.Strip("RELATORIO.md", data)
	if err != nil || !changed {
		t.Fatalf("edição do RELATORIO.md: %v (mudou: %v)", err, changed)
	}
	dir := reportDir(t, map[string][]byte{"RELATORIO.md": student})
	stdout, _, code = e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", filepath.Join(dir, "RELATORIO.md"))
	first, _, _ := strings.Cut(stdout, "\n")
	for _, want := range []string{"✗ relatório", "Questão 1 (linha", "sem resposta", "Questão 2 (linha", "Desafio Extra (linha", "nenhuma imagem"} {
		if code != 1 || !strings.Contains(first, want) {
			t.Errorf("RELATORIO.md da edição: código %d, primeira linha sem %q:\n%s", code, want, stdout)
		}
	}

	bad := filepath.Join(dir, "R.md")
	os.WriteFile(bad, []byte("## Questão 1\nx\n"), 0o644)
	stdout, _, code = e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", bad)
	if code != 1 || !strings.Contains(stdout, "falta a seção") {
		t.Errorf("relatório incompleto: código %d\n%s", code, stdout)
	}
	_, stderr, code = e2e.Run(t, 30*time.Second, "roteiro", "-relatorio", filepath.Join(t.TempDir(), "nao-existe.md"))
	if code != 1 || !strings.Contains(stderr, "não consegui ler o relatório: não existe") {
		t.Errorf("relatório que não existe: código %d, %q", code, stderr)
	}
}
