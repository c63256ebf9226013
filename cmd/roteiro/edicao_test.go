package main

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"roteiro2/internal/e2e"
	"roteiro2/internal/edition"
)

// repoRoot é a raiz deste repositório, vista do pacote cmd/roteiro.
var repoRoot = filepath.Join("..", "..")

func TestExcluded(t *testing.T) {
	for _, c := range []struct {
		rel, trilha string
		out         bool
	}{
		{".github/workflows/ci.yml", "go", true},
		{".ci/run", "go", true},
		{"scripts/medir-relatorio.sh", "python", true},
		{"docs/img/desafio-200.png", "go", true},
		{"docs/roteiro/tabela.md", "go", true},
		{"docs/fila-do-kernel.md", "go", false},
		{"cmd/roteiro/main_test.go", "go", true},
		{"cmd/roteiro/testdata/solucao/server_async.py", "python", true},
		{"cmd/roteiro/main.go", "go", false},
		{"cmd/roteiro/edicao/README.md.tmpl", "go", false},
		{"cmd/server_async/main.go", "go", false},
		{"cmd/server_async/main.go", "python", true},
		{"cmd/server/main_test.go", "python", false},
		{"README.md", "go", true},
		{"RELATORIO.md", "go", false},
		{"internal/reactor/loop.go", "python", false},
	} {
		if got := excluded(c.rel, c.trilha); got != c.out {
			t.Errorf("excluded(%q, %s) = %v, queria %v", c.rel, c.trilha, got, c.out)
		}
	}
}

// givenToo são linhas de solução que também estão, de propósito, no que a
// edição dá ao aluno, e por quê. Uma linha nova aqui é uma decisão: a
// solução pode aparecer ali?
var givenToo = map[string]string{
	"- RFC 793 §3.4 e §3.9; RFC 9293 §3.5.2 e §3.10.7.1; RFC 1122 §4.2.2.13; RFC 2525 §2.17.": "referência, também em docs/fila-do-kernel.md",
}

// solutionText junta as linhas de solução de todos os arquivos do
// repositório (a edição não pode ter nenhuma). Não contam as linhas com
// menos de 3 letras ("}", "```sh", "|---|"), as que aparecem também fora
// das regiões em algum arquivo do repositório (um "if err != nil {", um
// "return": nada dizem da solução) e as de givenToo.
func solutionText(t *testing.T) map[string]string {
	t.Helper()
	files, err := sourceFiles(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	outside := map[string]bool{} // as linhas fora das regiões, em todos os arquivos
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		stripped, _, err := edition.Strip(rel, data)
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.Lines(string(stripped)) {
			outside[strings.TrimSpace(l)] = true
		}
	}
	sol := map[string]string{} // linha → arquivo de onde veio
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		lines, err := edition.SolutionLines(rel, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if _, ok := givenToo[l]; countLetters(l) >= 3 && !ok && !outside[l] {
				sol[l] = rel
			}
		}
	}
	return sol
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// Nenhuma linha de solução sobrevive na edição, nas duas trilhas: cada
// linha não vazia de cada região marcada (aparada) é procurada em todos os
// arquivos da edição.
func TestEditionHasNoSolution(t *testing.T) {
	sol := solutionText(t)
	from := map[string]int{}
	for _, f := range sol {
		from[f]++
	}
	// As regiões que o roteiro pede: as respostas do relatório e os passos do server_async.
	if from["RELATORIO.md"] < 100 || from["cmd/server_async/main.go"] < 3 {
		t.Fatalf("poucas linhas de solução marcadas: %v", from)
	}
	for _, trilha := range trilhas {
		ed, err := buildEdition(repoRoot, trilha)
		if err != nil {
			t.Fatalf("%s: %v", trilha, err)
		}
		for _, rel := range slices.Sorted(maps.Keys(ed)) {
			for i, l := range strings.Split(string(ed[rel].data), "\n") {
				if f, ok := sol[strings.TrimSpace(l)]; ok {
					t.Errorf("trilha %s, %s:%d: sobrou uma linha de solução de %s: %q", trilha, rel, i+1, f, strings.TrimSpace(l))
				}
			}
			if regs, err := edition.Regions(rel, ed[rel].data); len(regs) > 0 || err != nil {
				t.Errorf("trilha %s, %s: sobrou um marcador (%v)", trilha, rel, err)
			}
		}
		// O que é só do professor não vai; o que é dos alunos vem.
		for _, gone := range []string{".github/workflows/ci.yml", ".ci/run", "docs/img/desafio-200.png", "cmd/roteiro/main_test.go"} {
			if _, ok := ed[gone]; ok {
				t.Errorf("trilha %s: %s não devia estar na edição", trilha, gone)
			}
		}
		for _, want := range []string{"README.md", "RELATORIO.md", ".github/workflows/classroom.yml", "cmd/roteiro/main.go", "cmd/serverbloq/main.go", "go.mod"} {
			if _, ok := ed[want]; !ok {
				t.Errorf("trilha %s: falta %s", trilha, want)
			}
		}
		_, hasPy := ed["server_async.py"]
		_, hasGo := ed["cmd/server_async/main.go"]
		if hasPy != (trilha == "python") || hasGo != (trilha == "go") {
			t.Errorf("trilha %s: server_async.py %v, cmd/server_async %v", trilha, hasPy, hasGo)
		}
		// Os programas dados chegam como estão.
		given, _ := os.ReadFile(filepath.Join(repoRoot, "cmd", "servergargalo", "main.go"))
		if !bytes.Equal(ed["cmd/servergargalo/main.go"].data, given) {
			t.Errorf("trilha %s: cmd/servergargalo/main.go mudou na edição", trilha)
		}
	}
}

// O server_async.py da trilha Python é o esqueleto do roteiro (seção 3.2),
// com os TODO, e não responde a ninguém.
func TestPythonSkeleton(t *testing.T) {
	data, err := studentFiles.ReadFile("edicao/server_async.py")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{"async def handle_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):",
		"# 1. Leia os dados enviados pelo cliente (use 'await reader.read(1024)')", "# TODO: ...",
		"# Use asyncio.start_server() passando handle_client, HOST e PORT", "asyncio.run(main())"} {
		if !strings.Contains(text, want) {
			t.Errorf("server_async.py sem %q", want)
		}
	}
	// Fora dos comentários, só o que o roteiro dá: nada de ler, dormir,
	// escrever, fechar ou iniciar o servidor.
	for l := range strings.Lines(text) {
		code := strings.TrimSpace(l)
		if strings.HasPrefix(code, "#") {
			continue
		}
		for _, solution := range []string{"reader.read", "asyncio.sleep", "writer.write", "writer.close", "start_server", "serve_forever"} {
			if strings.Contains(code, solution) {
				t.Errorf("o esqueleto traz solução: %q", code)
			}
		}
	}
}

// -edicao-aluno de verdade, nas duas trilhas: a pasta tem de ser nova ou
// vazia; a edição compila e passa no go vet; a mesma árvore dá a mesma
// edição, byte a byte.
func TestEditionCommand(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("sem git: a edição lista os arquivos com git ls-files (e o teste compara duas edições)")
	}
	t.Parallel()
	for _, trilha := range trilhas {
		dir := filepath.Join(t.TempDir(), "aluno")
		_, stderr, code := e2e.Run(t, 60*time.Second, "roteiro", "-edicao-aluno", dir, "-trilha", trilha)
		if code != 0 {
			t.Fatalf("trilha %s: código %d\n%s", trilha, code, stderr)
		}
		for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
			c := exec.Command("go", args...)
			c.Dir = dir
			if out, err := c.CombinedOutput(); err != nil {
				t.Errorf("trilha %s: go %s na edição: %v\n%s", trilha, strings.Join(args, " "), err, out)
			}
		}
		if trilha == "go" {
			untouchedAsync(t, dir)
		}
		again := filepath.Join(t.TempDir(), "de-novo")
		if _, stderr, code := e2e.Run(t, 60*time.Second, "roteiro", "-edicao-aluno", again, "-trilha", trilha); code != 0 {
			t.Fatalf("trilha %s, segunda vez: código %d\n%s", trilha, code, stderr)
		}
		if diff := compareTrees(t, dir, again); diff != "" {
			t.Errorf("trilha %s: duas edições diferentes: %s", trilha, diff)
		}
		// Pasta com arquivos: recusada, sem tocar em nada.
		_, stderr, code = e2e.Run(t, 60*time.Second, "roteiro", "-edicao-aluno", dir, "-trilha", trilha)
		if code != 1 || !strings.Contains(stderr, "não está vazia") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("trilha %s, pasta cheia: código %d, %q", trilha, code, stderr)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-edicao-aluno", t.TempDir(), "-trilha", "java"}, `-trilha "java": use go ou python`},
		{[]string{"-trilha", "python"}, "-trilha só vale com -edicao-aluno"},
		{[]string{"-edicao-aluno", t.TempDir(), "-exigir"}, "não combine com -exigir"},
	} {
		_, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: código %d, %q; queria 2 e %q", c.args, code, stderr, c.want)
		}
	}
}

// untouchedAsync roda a Etapa 3.3 com o server_async intocado da edição
// (compilado lá, com o clientenervoso dela): o esqueleto imprime a linha de
// início sem abrir o socket de escuta, e o roteiro reprova dizendo isso, não
// com um erro do cliente sobre a porta 0.
func untouchedAsync(t *testing.T, dir string) {
	t.Helper()
	if asyncReason(runtime.GOOS) != "" {
		return // a 3.3 nem roda aqui: o roteiro diz por quê, e outro teste confere
	}
	bin := filepath.Join(t.TempDir(), "bin")
	c := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/server_async", "./cmd/clientenervoso")
	c.Dir = dir
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go build na edição: %v\n%s", err, out)
	}
	run := exec.Command(e2e.Build(t, "roteiro"), "-bin", bin, "-rapido", "-exigir", "-etapas", "3.3")
	run.Dir = dir
	out, err := run.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if code != 1 || !strings.Contains(string(out), "não abriu o socket de escuta") {
		t.Errorf("3.3 com o server_async intocado: código %d (%v), queria 1 e \"não abriu o socket de escuta\":\n%s", code, err, out)
	}
}

// compareTrees diz a primeira diferença entre duas pastas (nomes, modos e
// conteúdos), ou "".
func compareTrees(t *testing.T, a, b string) string {
	t.Helper()
	list := func(root string) map[string]string {
		m := map[string]string{}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			info, _ := d.Info()
			rel, _ := filepath.Rel(root, p)
			m[rel] = info.Mode().String() + "\n" + string(data)
			return nil
		})
		return m
	}
	ma, mb := list(a), list(b)
	for _, k := range slices.Sorted(maps.Keys(ma)) {
		if ma[k] != mb[k] {
			return k
		}
	}
	if len(ma) != len(mb) || len(ma) == 0 {
		return "número de arquivos"
	}
	return ""
}
