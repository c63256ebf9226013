package edition

import (
	"strings"
	"testing"
)

const goSrc = `package main

import (
	"fmt"
	"os"
	"strings" // só a solução usa

	_ "embed"
)

// Um "// BEGIN SOLUTION" dentro de uma string não é marcador:
var texto = "// BEGIN SOLUTION"

func main() {
	fmt.Println("início")
	// 1. Leia a mensagem
	// TODO: ...
	// BEGIN SOLUTION
	msg := strings.ToUpper("oi")
	fmt.Println(msg)
	// END SOLUTION

	// 2. Saia
	// BEGIN SOLUTION
	os.Exit(0)
	// END SOLUTION
}
`

func TestStripGo(t *testing.T) {
	out, changed, err := Strip("x/main.go", []byte(goSrc))
	if err != nil || !changed {
		t.Fatalf("Strip: changed=%v err=%v", changed, err)
	}
	got := string(out)
	for _, gone := range []string{"strings", "ToUpper", "msg", "os.Exit", `"os"`, "SOLUTION\n"} {
		if strings.Contains(got, gone) {
			t.Errorf("sobrou %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{`"fmt"`, `_ "embed"`, `var texto = "// BEGIN SOLUTION"`, "// 1. Leia a mensagem\n\t// TODO: ...\n",
		"// 2. Saia\n}", `fmt.Println("início")`} {
		if !strings.Contains(got, kept) {
			t.Errorf("sumiu %q:\n%s", kept, got)
		}
	}
	// gofmt: sem linhas em branco duplicadas nem espaço no fim.
	if strings.Contains(got, "\n\n\n") || strings.Contains(got, " \n") {
		t.Errorf("não formatado:\n%s", got)
	}
	lines, err := SolutionLines("x/main.go", []byte(goSrc))
	if err != nil || strings.Join(lines, "|") != `msg := strings.ToUpper("oi")|fmt.Println(msg)|os.Exit(0)` {
		t.Errorf("SolutionLines = %q, %v", lines, err)
	}
}

// Um import que o arquivo já não usava antes não é assunto da edição, e um
// bloco import que fica vazio some.
func TestStripGoImports(t *testing.T) {
	src := "package p\n\nimport \"strings\"\n\nfunc F() string {\n\t// BEGIN SOLUTION\n\treturn strings.ToUpper(\"a\")\n\t// END SOLUTION\n\treturn \"\"\n}\n"
	out, _, err := Strip("p.go", []byte(src))
	if err != nil || strings.Contains(string(out), "import") || !strings.Contains(string(out), "return \"\"") {
		t.Errorf("import de uma linha: %v\n%s", err, out)
	}
	src = "package p\n\nimport (\n\t\"math/rand/v2\"\n)\n\nfunc F() int {\n\t// BEGIN SOLUTION\n\treturn rand.N(3)\n\t// END SOLUTION\n\treturn 0\n}\n"
	out, _, err = Strip("p.go", []byte(src))
	if err != nil || strings.Contains(string(out), "import") || strings.Contains(string(out), "rand") {
		t.Errorf("bloco vazio, pacote /v2: %v\n%s", err, out)
	}
}

func TestStripGoErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"sem END", "package p\n// BEGIN SOLUTION\nvar x = 1\n", "p.go:2: BEGIN SOLUTION sem END SOLUTION"},
		{"sem BEGIN", "package p\nvar x = 1\n// END SOLUTION\n", "p.go:3: END SOLUTION sem BEGIN SOLUTION"},
		{"aninhado", "package p\n// BEGIN SOLUTION\n// BEGIN SOLUTION\nvar x = 1\n// END SOLUTION\n// END SOLUTION\n",
			"p.go:3: BEGIN SOLUTION dentro da região aberta na linha 2"},
		{"malformado", "package p\n// BEGIN SOLUTION: passo 1\nvar x = 1\n// END SOLUTION\n", "marcador malformado"},
		{"sem espaço", "package p\n//BEGIN SOLUTION\nvar x = 1\n// END SOLUTION\n", "marcador malformado"},
		{"na linha do código", "package p\nvar x = 1 // BEGIN SOLUTION\n// END SOLUTION\n", "sozinho na linha"},
		{"resultado inválido", "package p\nfunc F() {\n// BEGIN SOLUTION\n}\n// END SOLUTION\n", "não é Go válido"},
		{"Go inválido", "package p\nfunc {\n// BEGIN SOLUTION\n// END SOLUTION\n", "não consegui ler o Go"},
	} {
		_, _, err := Strip("p.go", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: erro %v, queria %q", c.name, err, c.want)
		}
	}
	// Sem nada parecido com marcador: volta igual, sem nem ler o Go.
	src := []byte("isto nem é Go")
	if out, changed, err := Strip("p.go", src); err != nil || changed || string(out) != string(src) {
		t.Errorf("arquivo sem marcadores: %q %v %v", out, changed, err)
	}
}

const mdSrc = "# Relatório\n\n## Questão 1\n\n> A pergunta.\n<!-- BEGIN SOLUTION -->\nA resposta do professor.\n\n```\n<!-- END SOLUTION -->\n```\nMais resposta.\n<!-- END SOLUTION -->\n## Questão 2\n\n  <!-- BEGIN SOLUTION -->\n  Outra.\n  <!-- END SOLUTION -->\n\nfim\n"

func TestStripMarkdown(t *testing.T) {
	out, changed, err := Strip("RELATORIO.md", []byte(mdSrc))
	if err != nil || !changed {
		t.Fatalf("Strip: %v %v", changed, err)
	}
	// O marcador dentro do bloco de código não fecha a região; o
	// placeholder fica separado da citação e do título por linhas em branco.
	want := "# Relatório\n\n## Questão 1\n\n> A pergunta.\n\n" + Placeholder + "\n\n## Questão 2\n\n  " + Placeholder + "\n\nfim\n"
	if string(out) != want {
		t.Errorf("Markdown:\n%s\nqueria:\n%s", out, want)
	}
	lines, _ := SolutionLines("RELATORIO.md", []byte(mdSrc))
	if strings.Join(lines, "|") != "A resposta do professor.|```|<!-- END SOLUTION -->|```|Mais resposta.|Outra." {
		t.Errorf("SolutionLines = %q", lines)
	}
	for _, c := range []struct{ src, want string }{
		{"a\n<!-- BEGIN SOLUTION -->\nb\n", "RELATORIO.md:2: BEGIN SOLUTION sem END"},
		{"a\n<!-- END SOLUTION -->\n", "RELATORIO.md:2: END SOLUTION sem BEGIN"},
		{"<!-- BEGIN SOLUTION -->\n<!-- BEGIN SOLUTION -->\n<!-- END SOLUTION -->\n<!-- END SOLUTION -->\n", "não se aninham"},
		{"<!-- BEGIN SOLUTION: Q1 -->\n<!-- END SOLUTION -->\n", "marcador malformado"},
	} {
		if _, _, err := Strip("RELATORIO.md", []byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: erro %v, queria %q", c.src, err, c.want)
		}
	}
	// Outros arquivos não são tocados, mesmo com o texto dos marcadores.
	if out, changed, err := Strip("a.txt", []byte(MDBegin+"\n")); err != nil || changed || string(out) != MDBegin+"\n" {
		t.Errorf("a.txt: %q %v %v", out, changed, err)
	}
}
