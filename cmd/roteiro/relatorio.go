package main

// -relatorio: a conferência do relatório que a correção automática faz. Ela
// não julga o texto (isso é com o professor); confere a forma: as três
// seções que o roteiro pede, cada Questão com uma resposta de verdade (pelo
// menos minWords palavras, sem contar comentários, blocos de código, o texto
// da pergunta e marcadores como TODO) e o Desafio com pelo menos uma imagem
// de verdade (PNG, JPEG, GIF ou SVG pelo conteúdo) guardada no repositório.

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"roteiro2/internal/edition"
)

// minWords é o mínimo de palavras de uma resposta: um parágrafo curto.
const minWords = 40

// reportSections são as seções exigidas: títulos de nível 2 ("## ..."),
// com ou sem acento, com o que vier depois ("## Questão 1 — Backlog").
// Question é o texto da pergunta no roteiro (roteiro.md, "O que deve ser
// commitado?"), que o modelo do relatório traz logo abaixo do título e não
// conta como resposta. Image: a seção precisa mostrar uma imagem.
var reportSections = []struct {
	Name     string
	re       *regexp.Regexp
	Question string
	Image    bool
}{
	{"Questão 1", regexp.MustCompile(`(?i)^##\s+quest(ão|ao)\s+1\b`),
		"O `clientenervoso.py` apresentou falhas (`ConnectionRefusedError` ou `Timeout`) ao testar o " +
			"`servergargalo.py`, mas obteve sucesso imediato contra o `server.py`. Explique o motivo técnico, " +
			"referenciando o conceito de *backlog* TCP e o comportamento do Sistema Operacional. Considere a " +
			"variabilidade de comportamento entre sistemas operacionais mencionada no roteiro.", false},
	{"Questão 2", regexp.MustCompile(`(?i)^##\s+quest(ão|ao)\s+2\b`),
		"Com base no número máximo de threads simultâneas que você observou no `server.py` (via " +
			"`threading.active_count()`), explique a diferença no consumo de memória e no uso de CPU entre a " +
			"abordagem Multithread e a abordagem Assíncrona. Sua resposta deve ser fundamentada na observação " +
			"experimental, não apenas conceitual.", false},
	{"Desafio Extra", regexp.MustCompile(`(?i)^##\s+desafio\s+extra\b`),
		"Altere o `clientenervoso.py` para disparar **200 conexões simultâneas** contra seu " +
			"`server_async.py`. Tire um *screenshot* da execução comprovando que o servidor suportou a carga e " +
			"anexe a imagem no `RELATORIO.md`.", true},
}

// judgeNote diz o que a conferência não faz; sai em toda conferência.
const judgeNote = "A conferência é só da forma: o conteúdo das respostas e da imagem é o professor quem julga."

var (
	mdImage    = regexp.MustCompile(`!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)`)
	htmlImage  = regexp.MustCompile(`(?i)<img\s[^>]*\bsrc\s*=\s*["']([^"']+)["']`)
	htmlNote   = regexp.MustCompile(`(?s)<!--.*?-->`)
	inlineCode = regexp.MustCompile("`[^`\n]*`")
	// placeholderLine: uma linha que é só um marcador de "falta escrever".
	placeholderLine = regexp.MustCompile(`(?i)^(todo|fixme|tbd|a fazer|\.{2,}|…)[\s.:!…-]*$`)
	placeholderWord = regexp.MustCompile(`(?i)\b(todo|fixme|tbd)\b`)
)

// checkReport confere o relatório em path e imprime o que viu, a conclusão
// primeiro; 0 se tudo certo, 1 se não.
func checkReport(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "roteiro: -relatorio: não consegui ler o relatório: %v\n", errText(err))
		return 1
	}
	lines, problems := inspectReport(string(data), filepath.Dir(path))
	if len(problems) > 0 {
		fmt.Printf("✗ relatório %s incompleto: %s\n", path, strings.Join(problems, "; "))
	} else {
		fmt.Printf("✓ relatório %s: as três seções respondidas e a imagem do Desafio\n", path)
	}
	for _, l := range lines {
		fmt.Println("  " + l)
	}
	fmt.Println(judgeNote)
	if len(problems) > 0 {
		return 1
	}
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
		if strings.HasPrefix(strings.TrimSpace(t), "```") || strings.HasPrefix(strings.TrimSpace(t), "~~~") {
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

// visible é o texto que o leitor vê: sem comentários HTML e sem blocos de
// código (``` ou ~~~). Um comentário ou bloco sem fim vai até o fim da seção.
func visible(body []string) string {
	text := strings.Join(body, "\n")
	text = htmlNote.ReplaceAllString(text, "")
	if i := strings.Index(text, "<!--"); i >= 0 {
		text = text[:i]
	}
	var out []string
	fence := ""
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case fence == "" && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")):
			fence = t[:3]
		case fence != "" && strings.HasPrefix(t, fence):
			fence = ""
		case fence == "":
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// normalize prepara um texto para comparar com a pergunta: sem a pontuação
// do Markdown (> * _ `), minúsculas, espaços simples.
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(">*_`#", r) {
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// answerWords conta as palavras da resposta de uma seção: o texto visível
// menos as linhas que são pedaços da pergunta (o modelo a traz citada; um
// pedaço é uma citação "> " ou uma linha de 3 palavras ou mais) e os
// marcadores de "falta escrever" (TODO, ..., o placeholder da edição dos
// alunos, "escreva aqui"). Palavra: um trecho com pelo menos uma letra ou
// dígito.
func answerWords(body []string, question string) int {
	q := normalize(question)
	n := 0
	for _, l := range strings.Split(visible(body), "\n") {
		norm := normalize(l)
		switch {
		case norm == "":
			continue
		case strings.Contains(q, norm) && (len(strings.Fields(norm)) >= 3 || strings.HasPrefix(strings.TrimSpace(l), ">")):
			continue // um pedaço da pergunta (citada ou copiada); "x" ou "sim" não
		case strings.TrimSpace(l) == edition.Placeholder, strings.Contains(norm, "escreva aqui"),
			placeholderLine.MatchString(strings.Trim(norm, " -")):
			continue
		}
		for _, w := range strings.Fields(placeholderWord.ReplaceAllString(norm, " ")) {
			if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				n++
			}
		}
	}
	return n
}

// inspectReport confere o texto de um relatório que está na pasta dir (a
// raiz do repositório: é nela que o roteiro pede o RELATORIO.md). Devolve
// uma linha (✓/✗/—) por verificação e os problemas, cada um com a seção e o
// que falta; nenhum problema = relatório aceito.
func inspectReport(text, dir string) (lines, problems []string) {
	// bad registra um problema: curto na conclusão, com a dica na linha ✗.
	bad := func(problem, hint string) {
		lines = append(lines, "✗ "+problem+hint)
		problems = append(problems, problem)
	}
	const notCounted = " (comentários, blocos de código, o texto da pergunta e marcadores como TODO não contam)"
	secs := sections(text)
	for _, want := range reportSections {
		var found *section
		for i := range secs {
			if want.re.MatchString(secs[i].title) {
				found = &secs[i]
				break
			}
		}
		if found == nil {
			bad(fmt.Sprintf("%s: falta a seção", want.Name), fmt.Sprintf(" (um título \"## %s\")", want.Name))
			continue
		}
		where := fmt.Sprintf("%s (linha %d)", want.Name, found.line)
		if want.Image {
			lines, problems = checkImages(where, found.body, dir, lines, problems)
			continue
		}
		switch n := answerWords(found.body, want.Question); {
		case n == 0:
			bad(where+": sem resposta", notCounted)
		case n < minWords:
			bad(fmt.Sprintf("%s: a resposta tem %d palavra(s); o mínimo é %d", where, n, minWords), notCounted)
		default:
			lines = append(lines, fmt.Sprintf("✓ %s: %d palavras de resposta", where, n))
		}
	}
	return lines, problems
}

// checkImages confere as imagens de uma seção: as referências fora de
// comentários, de blocos de código e de `código` (o que aparece de fato na
// página); pelo menos uma imagem do repositório que seja mesmo uma imagem, e
// nenhuma referência local quebrada.
func checkImages(where string, body []string, dir string, lines, problems []string) ([]string, []string) {
	bad := func(problem, hint string) {
		lines = append(lines, "✗ "+where+": "+problem+hint)
		problems = append(problems, where+": "+problem)
	}
	shown := inlineCode.ReplaceAllString(visible(body), "")
	var refs []string
	for _, re := range []*regexp.Regexp{mdImage, htmlImage} {
		for _, m := range re.FindAllStringSubmatch(shown, -1) {
			refs = append(refs, m[1])
		}
	}
	if len(refs) == 0 {
		bad("nenhuma imagem", " (![descrição](caminho) ou <img src=...>, fora de comentários e blocos de código): ponha a captura dos 200 clientes")
		return lines, problems
	}
	good := 0
	for _, ref := range refs {
		if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
			lines = append(lines, fmt.Sprintf("— %s: imagem %s é um endereço externo, não conferido", where, ref))
			continue
		}
		if err := checkImageFile(ref, dir); err != nil {
			bad(fmt.Sprintf("imagem %s: %v", ref, err), "")
			continue
		}
		good++
		lines = append(lines, fmt.Sprintf("✓ %s: imagem %s", where, ref))
	}
	if good == 0 && len(problems) == 0 {
		bad("só imagens de fora do repositório", ": grave a captura no repositório (ex.: docs/img/) e use o caminho dela")
	}
	return lines, problems
}

// checkImageFile confere que ref (relativo à pasta do relatório, a raiz do
// repositório) aponta para um arquivo dentro do repositório, mesmo depois de
// seguir links simbólicos, e que o conteúdo é PNG, JPEG, GIF ou SVG.
func checkImageFile(ref, dir string) error {
	p := ref
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || filepath.VolumeName(p) != "" {
		return fmt.Errorf("caminho absoluto: use um caminho relativo ao RELATORIO.md, dentro do repositório")
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("não consegui ler a pasta do relatório (%v)", errText(err))
	}
	full, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		return fmt.Errorf("o arquivo não existe no repositório")
	}
	if rel, err := filepath.Rel(root, full); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("fica fora do repositório (%s): a imagem tem de estar no repositório", full)
	}
	st, err := os.Stat(full)
	if err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("não é um arquivo")
	}
	f, err := os.Open(full)
	if err != nil {
		return fmt.Errorf("não consegui abrir (%v)", errText(err))
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := f.Read(head)
	if kind := imageKind(head[:n]); kind == "" {
		return fmt.Errorf("o conteúdo não é de uma imagem PNG, JPEG, GIF ou SVG")
	}
	return nil
}

// imageKind reconhece a imagem pelos primeiros bytes (os "números mágicos"
// de cada formato; o SVG é texto que começa com < e traz <svg no início).
func imageKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "JPEG"
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "GIF"
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(t, []byte("<")) && bytes.Contains(bytes.ToLower(t), []byte("<svg")) {
		return "SVG"
	}
	return ""
}
