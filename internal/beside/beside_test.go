// Package beside confere, como teste, a promessa do README: cada
// cmd/X/main.go se lê ao lado do X.py do laboratório. Os .py não estão neste
// repositório (são do professor); o que importa deles está transcrito abaixo:
// o número de linhas, os passos de socket na ordem em que aparecem no
// arquivo e as marcas de log na ordem em que aparecem.
package beside

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// original é o que se sabe de um .py (transcrito do repositório do
// laboratório, src/*.py; o server_async, do esqueleto da seção 3.2 do roteiro).
type original struct {
	cmd   string   // o programa Go
	lines int      // linhas do .py
	max   int      // o main.go pode ter no máximo max × lines linhas
	steps []string // os passos de socket, na ordem do arquivo
	tags  []string // as marcas de log, na ordem do arquivo
}

var originals = []original{
	{"serverbloq", 48, 2,
		[]string{"recv", "sleep", "send", "close", "socket", "bind", "listen", "accept"},
		[]string{"--- [INÍCIO] Atendendo", "Processando:", "Erro:", "--- [FIM]", "[MODO BLOQUEANTE] Servidor rodando em", "UM DE CADA VEZ"}},
	{"servergargalo", 44, 2,
		[]string{"socket", "setsockopt", "bind", "listen", "accept", "sleep", "send", "close"},
		[]string{"Erro: Porta em uso", "[SERVIDOR MONOTAREFA] Rodando em", "O resto deve falhar ou dar timeout", "--- [ATENDENDO]", "Atendido com sucesso.", "--- [FINALIZADO]"}},
	{"server", 65, 2,
		[]string{"recv", "sleep", "send", "close", "socket", "bind", "listen", "accept"},
		[]string{"[NOVA CONEXÃO]", "Processando:", "[DESCONECTADO]", "[OUVINDO] Servidor rodando em", "[ATIVO] Conexões simultâneas:", "--- INICIANDO SERVIDOR DE SISTEMAS DISTRIBUÍDOS ---"}},
	{"client", 45, 2,
		[]string{"socket", "connect", "send", "recv", "close"},
		[]string{"Enviando:", "Recebeu:", "Erro: Servidor offline.", "--- DISPARANDO MÚLTIPLOS CLIENTES SIMULTANEAMENTE ---", "--- TODOS OS CLIENTES FINALIZADOS ---"}},
	{"clientenervoso", 48, 2,
		[]string{"socket", "settimeout", "connect", "recv", "close"},
		[]string{"🟡 Tentando entrar...", "🟢 Conectou! Esperando resposta...", "🏆 SUCESSO:", "⏱️ TIMEOUT: O servidor demorou demais para aceitar!", "⛔ RECUSADO:", "❌ ERRO:", "--- INICIANDO ATAQUE DE"}},
	{"server_async", 46, 3,
		[]string{"read", "sleep", "write", "drain", "close", "wait_closed", "start_server", "serve_forever"},
		[]string{"[NOVA CONEXÃO]", "1. Leia os dados", "2. Simule um processamento pesado", "3. Envie a resposta", "4. Feche a conexão", "[DESCONECTADO]", "asyncio.start_server()", "[ASSÍNCRONO] Servidor rodando em", "Mantenha o servidor rodando indefinidamente"}},
}

// calls é como cada passo do Python aparece no Go: uma chamada.
var calls = map[string]*regexp.Regexp{
	"socket":        regexp.MustCompile(`\bsocket\.Socket\(`),
	"setsockopt":    regexp.MustCompile(`\.Setsockopt\(`),
	"bind":          regexp.MustCompile(`\.Bind\(`),
	"listen":        regexp.MustCompile(`\.Listen\(`),
	"accept":        regexp.MustCompile(`\.Accept\(`),
	"recv":          regexp.MustCompile(`\.Recv\(1024\)`),
	"sleep":         regexp.MustCompile(`\bSleep\(`),
	"send":          regexp.MustCompile(`\.Send(All)?\(`),
	"close":         regexp.MustCompile(`\.Close\(\)`),
	"settimeout":    regexp.MustCompile(`\.SetTimeout\(`),
	"connect":       regexp.MustCompile(`\.Connect\(`),
	"read":          regexp.MustCompile(`\.Read\(1024,`),
	"write":         regexp.MustCompile(`\.Write\(`),
	"drain":         regexp.MustCompile(`\.Drain\(`),
	"wait_closed":   regexp.MustCompile(`\.WaitClosed\(`),
	"start_server":  regexp.MustCompile(`\.StartServer\(`),
	"serve_forever": regexp.MustCompile(`\.ServeForever\(`),
}

func source(t *testing.T, cmd string) (path, text string) {
	t.Helper()
	path = filepath.Join("..", "..", "cmd", cmd, "main.go")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, string(b)
}

// O tamanho, os passos e as marcas de cada main.go, na ordem do .py. Cada
// passo é procurado a partir do anterior: a primeira vez que cada um aparece
// segue a ordem do original.
func TestMainReadsLikeThePython(t *testing.T) {
	for _, o := range originals {
		path, text := source(t, o.cmd)
		if n := strings.Count(text, "\n"); n > o.max*o.lines {
			t.Errorf("%s: %d linhas; o .py tem %d, o limite é %d", path, n, o.lines, o.max*o.lines)
		}
		last, lastStep := -1, ""
		for _, step := range o.steps {
			loc := calls[step].FindStringIndex(text)
			switch {
			case loc == nil:
				t.Errorf("%s: o passo %s do .py não aparece como chamada", path, step)
			case loc[0] < last:
				t.Errorf("%s: o passo %s aparece antes de %s; no .py vem depois", path, step, lastStep)
			default:
				last, lastStep = loc[0], step
			}
		}
		last, lastStep = -1, ""
		for _, tag := range o.tags {
			i := strings.Index(text, tag)
			switch {
			case i < 0:
				t.Errorf("%s: a marca %q do .py não aparece", path, tag)
			case i < last:
				t.Errorf("%s: a marca %q aparece antes de %q; no .py vem depois", path, tag, lastStep)
			default:
				last, lastStep = i, tag
			}
		}
	}
}

// Um passo do main.go → o sistema: cada método do pacote socket que um
// main.go chama é definido (em cada sistema) numa função que chama
// unix.X, windows.X ou syscall.X ela mesma.
func TestOneHopToTheSystemCall(t *testing.T) {
	defs := socketFuncs(t)
	used := regexp.MustCompile(`(?:client|conn|server|socket)\.([A-Z]\w*)\(`)
	for _, o := range originals[:5] { // o server_async fala com o laço, não com o pacote socket
		path, text := source(t, o.cmd)
		for _, m := range used.FindAllStringSubmatch(text, -1) {
			bodies, ok := defs[m[1]]
			if !ok {
				t.Errorf("%s chama %s, que não é do pacote socket", path, m[1])
				continue
			}
			for _, b := range bodies {
				if !regexp.MustCompile(`\b(unix|windows|syscall)\.`).MatchString(b.body) {
					t.Errorf("%s chama %s, e %s não chama o sistema direto", path, m[1], b.where)
				}
			}
		}
	}
}

type body struct{ where, body string }

// socketFuncs lê as funções e os métodos de internal/socket (todos os
// sistemas): nome → corpo de cada definição.
func socketFuncs(t *testing.T) map[string][]body {
	t.Helper()
	dir := filepath.Join("..", "socket")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]body{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			text := string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
			out[fn.Name.Name] = append(out[fn.Name.Name], body{filepath.Base(f) + ":" + fn.Name.Name, text})
		}
	}
	return out
}

// O pacote socket não depende da linha de comando (internal/cli), e o
// server_async não depende do pacote net: o laço de eventos é a única
// maquinaria de E/S dele.
func TestDependencies(t *testing.T) {
	for pkg, banned := range map[string]string{
		"roteiro2/internal/socket":   "roteiro2/internal/cli",
		"roteiro2/cmd/server_async":  "net",
		"roteiro2/internal/reactor":  "net",
		"roteiro2/internal/tracking": "roteiro2/internal/cli",
	} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == banned {
				t.Errorf("%s depende de %s", pkg, banned)
			}
		}
	}
}
