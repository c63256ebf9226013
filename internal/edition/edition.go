// Package edition tira as regiões de solução de um arquivo, como o nbgrader
// faz com BEGIN SOLUTION/END SOLUTION: é com isso que `roteiro
// -edicao-aluno` escreve o repositório dos alunos a partir do do professor.
//
// Em Go, uma região começa numa linha que tem só o comentário
// "// BEGIN SOLUTION" e termina numa linha que tem só "// END SOLUTION"
// (indentação à vontade). As linhas da região, marcadores incluídos, somem;
// depois disso, os imports que ficaram sem uso somem também, e o arquivo é
// formatado como o gofmt faria:
//
//	func (s *servidor) responder(c *Conn) {
//		// 3. Envie a resposta ao cliente
//		// BEGIN SOLUTION
//		c.Write(resposta)
//		// END SOLUTION
//	}
//
// Em Markdown (as respostas do RELATORIO.md), a região vai de uma linha
// "<!-- BEGIN SOLUTION -->" a uma linha "<!-- END SOLUTION -->", e vira
// um lugar vazio para a resposta: a linha Placeholder.
//
// Marcadores desbalanceados, aninhados ou escritos pela metade são erro: a
// edição não sai, em vez de sair com a solução dentro.
package edition

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Os marcadores.
const (
	GoBegin = "// BEGIN SOLUTION"
	GoEnd   = "// END SOLUTION"
	MDBegin = "<!-- BEGIN SOLUTION -->"
	MDEnd   = "<!-- END SOLUTION -->"
	// Placeholder é o que fica no lugar de uma resposta tirada do Markdown;
	// a conferência do relatório (roteiro -relatorio) não o conta como resposta.
	Placeholder = "_Escreva aqui a sua resposta._"
)

// Region são as linhas de uma região, de 1 em diante, marcadores incluídos.
type Region struct{ Begin, End int }

// Strip devolve o arquivo name sem as regiões de solução: .go e .md; os
// outros voltam como estão. changed diz se havia alguma região.
func Strip(name string, src []byte) (out []byte, changed bool, err error) {
	switch path.Ext(name) {
	case ".go":
		return stripGo(name, src)
	case ".md":
		return stripMarkdown(name, src)
	}
	return src, false, nil
}

// SolutionLines devolve as linhas de dentro das regiões (sem os
// marcadores), aparadas e sem as em branco: o texto que a edição dos
// alunos não pode conter.
func SolutionLines(name string, src []byte) ([]string, error) {
	regs, err := Regions(name, src)
	if err != nil {
		return nil, err
	}
	lines := splitLines(src)
	var out []string
	for _, r := range regs {
		for _, l := range lines[r.Begin : r.End-1] { // sem as linhas dos marcadores
			if t := strings.TrimSpace(l); t != "" {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// Regions acha as regiões de um arquivo .go ou .md (nenhuma nos outros).
func Regions(name string, src []byte) ([]Region, error) {
	switch path.Ext(name) {
	case ".go":
		return goRegions(name, src)
	case ".md":
		return markdownRegions(name, src)
	}
	return nil, nil
}

// splitLines separa em linhas sem o "\n"; o último elemento é o que vem
// depois do último "\n" (vazio se o arquivo termina em "\n").
func splitLines(src []byte) []string { return strings.Split(string(src), "\n") }

// pairUp confere a sequência de marcadores achados (linha → começo ou fim)
// e forma as regiões: cada BEGIN fecha com o END seguinte, sem aninhar.
func pairUp(name string, marks []mark) ([]Region, error) {
	var out []Region
	open := 0 // linha do BEGIN em aberto (0 = nenhum)
	for _, m := range marks {
		switch {
		case m.begin && open != 0:
			return nil, fmt.Errorf("%s:%d: BEGIN SOLUTION dentro da região aberta na linha %d (regiões não se aninham)", name, m.line, open)
		case m.begin:
			open = m.line
		case open == 0:
			return nil, fmt.Errorf("%s:%d: END SOLUTION sem BEGIN SOLUTION antes", name, m.line)
		default:
			out = append(out, Region{open, m.line})
			open = 0
		}
	}
	if open != 0 {
		return nil, fmt.Errorf("%s:%d: BEGIN SOLUTION sem END SOLUTION depois", name, open)
	}
	return out, nil
}

type mark struct {
	line  int
	begin bool
}

// hasMarkerText: atalho para os arquivos sem nada parecido com marcador.
func hasMarkerText(src []byte) bool {
	return bytes.Contains(src, []byte("BEGIN SOLUTION")) || bytes.Contains(src, []byte("END SOLUTION"))
}

// goRegions acha os marcadores pelos comentários do próprio Go (go/parser),
// então um "// BEGIN SOLUTION" dentro de uma string não conta. Um
// comentário que começa como marcador mas tem algo a mais, ou que divide a
// linha com código, é erro.
func goRegions(name string, src []byte) ([]Region, error) {
	if !hasMarkerText(src) {
		return nil, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s: não consegui ler o Go para achar as regiões de solução: %v", name, err)
	}
	lines := splitLines(src)
	var marks []mark
	for _, g := range f.Comments {
		for _, c := range g.List {
			text := strings.TrimRight(c.Text, " \t\r")
			isBegin, isEnd := text == GoBegin, text == GoEnd
			near := strings.HasPrefix(text, GoBegin) || strings.HasPrefix(text, GoEnd) ||
				strings.HasPrefix(text, "//BEGIN SOLUTION") || strings.HasPrefix(text, "//END SOLUTION")
			line := fset.Position(c.Pos()).Line
			switch {
			case !isBegin && !isEnd && near:
				return nil, fmt.Errorf("%s:%d: marcador malformado %q: a linha deve ter só %q ou %q", name, line, text, GoBegin, GoEnd)
			case !isBegin && !isEnd:
				continue
			case strings.TrimSpace(lines[line-1]) != text:
				return nil, fmt.Errorf("%s:%d: o marcador %q tem de estar sozinho na linha", name, line, text)
			}
			marks = append(marks, mark{line, isBegin})
		}
	}
	return pairUp(name, marks)
}

// markdownRegions acha os marcadores fora dos blocos de código (``` e ~~~),
// onde um texto pode mostrá-los sem querer marcar nada.
func markdownRegions(name string, src []byte) ([]Region, error) {
	if !hasMarkerText(src) {
		return nil, nil
	}
	var marks []mark
	fence := ""
	for i, l := range splitLines(src) {
		t := strings.TrimSpace(l)
		if f := fenceOf(t); f != "" && (fence == "" || strings.HasPrefix(t, fence)) {
			if fence == "" {
				fence = f
			} else {
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		isBegin, isEnd := t == MDBegin, t == MDEnd
		near := strings.HasPrefix(t, "<!-- BEGIN SOLUTION") || strings.HasPrefix(t, "<!-- END SOLUTION") ||
			strings.HasPrefix(t, "<!--BEGIN SOLUTION") || strings.HasPrefix(t, "<!--END SOLUTION")
		switch {
		case isBegin || isEnd:
			marks = append(marks, mark{i + 1, isBegin})
		case near:
			return nil, fmt.Errorf("%s:%d: marcador malformado %q: a linha deve ter só %q ou %q", name, i+1, t, MDBegin, MDEnd)
		}
	}
	return pairUp(name, marks)
}

// fenceOf devolve o início de cerca de bloco de código da linha ("```" ou
// "~~~"), ou "".
func fenceOf(t string) string {
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, f) {
			return f
		}
	}
	return ""
}

// stripMarkdown troca cada região por uma linha Placeholder, com a
// indentação do BEGIN e uma linha em branco de cada lado (sem ela, a linha
// anterior, uma citação "> ..." por exemplo, engoliria o placeholder).
func stripMarkdown(name string, src []byte) ([]byte, bool, error) {
	regs, err := markdownRegions(name, src)
	if err != nil || len(regs) == 0 {
		return src, false, err
	}
	lines := splitLines(src)
	out := replaceRegions(lines, regs, func(out []string, r Region) []string {
		if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" {
			out = append(out, "")
		}
		begin := lines[r.Begin-1]
		out = append(out, begin[:len(begin)-len(strings.TrimLeft(begin, " \t"))]+Placeholder)
		if r.End < len(lines) && strings.TrimSpace(lines[r.End]) != "" {
			out = append(out, "")
		}
		return out
	})
	return []byte(strings.Join(out, "\n")), true, nil
}

// replaceRegions devolve lines com cada região trocada pelo que with
// acrescenta a out, o que já foi copiado (no Go, nada; no Markdown, o
// placeholder).
func replaceRegions(lines []string, regs []Region, with func(out []string, r Region) []string) []string {
	var out []string
	next := 0 // índice da próxima linha a copiar
	for _, r := range regs {
		out = with(append(out, lines[next:r.Begin-1]...), r)
		next = r.End
	}
	return append(out, lines[next:]...)
}

// stripGo tira as linhas das regiões, depois os imports que só o código
// tirado usava, e formata o resultado (go/format). Um resultado que não é
// Go válido é erro, com a linha.
func stripGo(name string, src []byte) ([]byte, bool, error) {
	regs, err := goRegions(name, src)
	if err != nil || len(regs) == 0 {
		return src, false, err
	}
	kept := replaceRegions(splitLines(src), regs, func(out []string, _ Region) []string { return out })
	stripped := []byte(strings.Join(kept, "\n"))

	usedBefore, err := importUse(name, src)
	if err != nil {
		return nil, false, err
	}
	out, err := dropUnusedImports(name, stripped, usedBefore)
	if err != nil {
		return nil, false, err
	}
	formatted, err := format.Source(out)
	if err != nil {
		return nil, false, fmt.Errorf("%s: sem as regiões de solução o arquivo não é Go válido: %v", name, err)
	}
	return formatted, true, nil
}

// importUse diz, para cada import com nome utilizável (nem "_" nem "."),
// se o arquivo usa o pacote (nome.Algo em algum lugar).
func importUse(name string, src []byte) (map[string]bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: sem as regiões de solução o arquivo não é Go válido: %v", name, err)
	}
	use := map[string]bool{}
	for _, imp := range f.Imports {
		if n := localName(imp); n != "" {
			use[n] = false
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if _, known := use[id.Name]; known {
					use[id.Name] = true
				}
			}
		}
		return true
	})
	return use, nil
}

// localName é o nome com que o arquivo usa o pacote importado: o dado no
// import, ou o último elemento do caminho sem o sufixo de versão ("v2").
// "" para imports "_" e ".", que nunca se tiram. Se o palpite errar (um
// pacote cujo nome não é o da pasta), o import só deixa de ser tirado, e a
// compilação da edição acusa.
func localName(imp *ast.ImportSpec) string {
	if imp.Name != nil {
		if imp.Name.Name == "_" || imp.Name.Name == "." {
			return ""
		}
		return imp.Name.Name
	}
	p, err := strconv.Unquote(imp.Path.Value)
	if err != nil {
		return ""
	}
	base := path.Base(p)
	if majorVersion.MatchString(base) && path.Dir(p) != "." {
		base = path.Base(path.Dir(p))
	}
	return base
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// dropUnusedImports apaga as linhas dos imports que o arquivo original
// usava e o editado não usa mais (um import que já não era usado não é
// problema desta edição) e, se um bloco import ( ) ficar vazio, ele também.
func dropUnusedImports(name string, src []byte, usedBefore map[string]bool) ([]byte, error) {
	usedAfter, err := importUse(name, src)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: sem as regiões de solução o arquivo não é Go válido: %v", name, err)
	}
	lines := splitLines(src)
	drop := map[int]bool{} // linhas (de 1 em diante) a apagar
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		left := 0
		for _, s := range gd.Specs {
			imp := s.(*ast.ImportSpec)
			n := localName(imp)
			if n == "" || !usedBefore[n] || usedAfter[n] {
				left++
				continue
			}
			start, end := fset.Position(imp.Pos()), fset.Position(imp.End())
			before := strings.TrimSpace(string(src[lineStart(src, start.Offset):start.Offset]))
			after := strings.TrimSpace(string(src[end.Offset:lineEnd(src, end.Offset)]))
			if !(before == "" || before == "import" && !gd.Lparen.IsValid()) || !(after == "" || strings.HasPrefix(after, "//")) {
				return nil, fmt.Errorf("%s:%d: o import %s ficou sem uso, mas divide a linha com outra coisa: ponha-o numa linha só", name, start.Line, imp.Path.Value)
			}
			first, last := start.Line, end.Line
			for l := first; l <= last; l++ {
				drop[l] = true
			}
		}
		if left == 0 && gd.Lparen.IsValid() {
			for l := fset.Position(gd.Pos()).Line; l <= fset.Position(gd.End()).Line; l++ {
				drop[l] = true
			}
		}
	}
	if len(drop) == 0 {
		return src, nil
	}
	var kept []string
	for i, l := range lines {
		if !drop[i+1] {
			kept = append(kept, l)
		}
	}
	return []byte(strings.Join(kept, "\n")), nil
}

// lineStart é o índice do começo da linha que contém o byte off.
func lineStart(src []byte, off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }

// lineEnd é o índice do fim da linha que contém o byte off (antes do "\n").
func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(src)
}
