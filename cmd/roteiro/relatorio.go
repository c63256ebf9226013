package main

// -relatorio: a conferência do relatório que a correção automática faz. Não
// julga o texto (isso é com o professor); confere que as três seções que o
// roteiro pede existem e não estão vazias, e que o Desafio mostra o que diz
// mostrar: pelo menos uma imagem, e cada imagem do repositório existe.

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// reportSections são as seções exigidas: títulos de nível 2 ("## ..."),
// com ou sem acento, com o que vier depois ("## Questão 1 — Backlog").
var reportSections = []struct {
	Name string
	re   *regexp.Regexp
}{
	{"Questão 1", regexp.MustCompile(`(?i)^##\s+quest(ão|ao)\s+1\b`)},
	{"Questão 2", regexp.MustCompile(`(?i)^##\s+quest(ão|ao)\s+2\b`)},
	{"Desafio Extra", regexp.MustCompile(`(?i)^##\s+desafio\s+extra\b`)},
}

var (
	mdImage   = regexp.MustCompile(`!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)`)
	htmlImage = regexp.MustCompile(`(?i)<img\s[^>]*\bsrc\s*=\s*["']([^"']+)["']`)
)

// checkReport confere o relatório em path e imprime o que viu; 0 se tudo
// certo, 1 se não.
func checkReport(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "roteiro: -relatorio: %v\n", err)
		return 1
	}
	lines, ok := inspectReport(string(data), filepath.Dir(path))
	fmt.Printf("relatório %s:\n%s\n", path, strings.Join(lines, "\n"))
	if !ok {
		fmt.Println("relatório incompleto: veja as linhas com ✗")
		return 1
	}
	fmt.Println("relatório ok: as três seções e as imagens do Desafio")
	return 0
}

// section é uma seção de nível 2 do relatório.
type section struct {
	title string
	line  int      // número da linha do título (1 = primeira)
	body  []string // as linhas até o próximo título de nível 1 ou 2
}

// sections separa o texto em seções de nível 2, ignorando o que está dentro
// de blocos de código (```), onde "## " não é título.
func sections(text string) []section {
	var out []section
	fence := false
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimRight(l, "\r")
		if strings.HasPrefix(strings.TrimSpace(t), "```") {
			fence = !fence
		}
		if !fence && (strings.HasPrefix(t, "## ") || strings.HasPrefix(t, "# ")) {
			out = append(out, section{title: t, line: i + 1})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].body = append(out[len(out)-1].body, t)
		}
	}
	return out
}

// inspectReport confere o texto de um relatório cujas imagens são relativas
// a dir. Devolve uma linha (✓/✗) por verificação e se todas passaram.
func inspectReport(text, dir string) ([]string, bool) {
	var lines []string
	ok := true
	bad := func(format string, args ...any) {
		lines = append(lines, "✗ "+fmt.Sprintf(format, args...))
		ok = false
	}
	secs := sections(text)
	var desafio *section
	for _, want := range reportSections {
		var found *section
		for i := range secs {
			if want.re.MatchString(secs[i].title) {
				found = &secs[i]
				break
			}
		}
		switch {
		case found == nil:
			bad("falta a seção \"## %s\"", want.Name)
			continue
		case strings.TrimSpace(strings.Join(found.body, "")) == "":
			bad("a seção %q (linha %d) está vazia", found.title, found.line)
		default:
			lines = append(lines, fmt.Sprintf("✓ %s (linha %d)", found.title, found.line))
		}
		if want.Name == "Desafio Extra" {
			desafio = found
		}
	}
	if desafio == nil {
		return lines, false
	}
	body := strings.Join(desafio.body, "\n")
	var refs []string
	for _, re := range []*regexp.Regexp{mdImage, htmlImage} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			refs = append(refs, m[1])
		}
	}
	if len(refs) == 0 {
		bad("o Desafio Extra não mostra nenhuma imagem (![descrição](caminho) ou <img src=...>): ponha a captura dos 200 clientes")
	}
	local := 0
	for _, ref := range refs {
		if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
			lines = append(lines, fmt.Sprintf("— imagem %s: endereço externo, não conferido", ref))
			continue
		}
		local++
		p := ref
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		full := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "/")))
		if st, err := os.Stat(full); err != nil || !st.Mode().IsRegular() {
			bad("imagem %s do Desafio Extra: o arquivo não existe no repositório (%s)", ref, full)
			continue
		}
		lines = append(lines, fmt.Sprintf("✓ imagem %s", ref))
	}
	if len(refs) > 0 && local == 0 {
		bad("o Desafio Extra só tem imagens de fora do repositório: grave a captura no repositório (ex.: docs/img/) e use o caminho dela")
	}
	return lines, ok
}
