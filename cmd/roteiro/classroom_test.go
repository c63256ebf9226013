package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// workflowStep é um passo de .github/workflows/classroom.yml: as chaves
// "chave: valor" do passo e do seu with:, e as variáveis do env:.
type workflowStep struct {
	line int
	keys map[string]string
	env  map[string]string
}

// readWorkflow lê a estrutura simples do arquivo, só com a biblioteca
// padrão: passos começam em "- name:", chaves são "chave: valor" numa
// linha. Um valor de várias linhas (| ou >) fica como "|" ou ">", e o teste
// o recusa. Devolve também as linhas de fora dos passos.
func readWorkflow(t *testing.T, path string) ([]workflowStep, []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	keyLine := regexp.MustCompile(`^\s*(?:- )?([A-Za-z0-9_.-]+):\s*(.*?)\s*$`)
	var steps []workflowStep
	var top []string
	inEnv := false
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.TrimSpace(l) == "" {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "- name:") {
			steps = append(steps, workflowStep{line: i + 1, keys: map[string]string{}, env: map[string]string{}})
			inEnv = false
		}
		if len(steps) == 0 {
			top = append(top, l)
			continue
		}
		m := keyLine.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("linha %d fora da forma \"chave: valor\": %q", i+1, l)
			continue
		}
		s := &steps[len(steps)-1]
		k, v := m[1], m[2]
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1] // um valor YAML entre aspas
		}
		switch {
		case k == "env":
			inEnv = true
		case k == "with":
			inEnv = false
		case inEnv:
			s.env[k] = m[2]
		default:
			if _, dup := s.keys[k]; dup {
				t.Errorf("linha %d: %s repetido no mesmo passo", i+1, k)
			}
			s.keys[k] = v
		}
	}
	return steps, top
}

// TestClassroomWorkflow confere o arquivo de correção automática do GitHub
// Classroom da edição dos alunos, nas duas trilhas: a forma que o Classroom
// exige, um passo por entrega, e que cada comando é uma linha só que este
// repositório sabe rodar: go run ./cmd/roteiro com flags que o roteiro
// aceita, etapas que existem e -exigir (senão o passo nunca reprovaria); na
// trilha Python, a 3.3 e o Desafio com -servidor 'python3 server_async.py'.
// scripts/corrigir-edicao.sh roda os comandos de verdade.
func TestClassroomWorkflow(t *testing.T) {
	for _, trilha := range trilhas {
		t.Run(trilha, func(t *testing.T) { checkClassroom(t, trilha) })
	}
}

func checkClassroom(t *testing.T, trilha string) {
	data, err := renderTemplate("edicao/classroom.yml.tmpl", struct{ Trilha string }{trilha})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "classroom.yml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	steps, top := readWorkflow(t, path)
	head := strings.Join(top, "\n")
	for _, want := range []string{"\n  - push", "\n  - workflow_dispatch", "\n  checks: write", "\n  actions: read",
		"\n  contents: read", "\n    runs-on: ubuntu-latest"} {
		if !strings.Contains("\n"+head, want) {
			t.Errorf("classroom.yml sem %q antes dos passos", strings.TrimSpace(want))
		}
	}
	uses := func(s workflowStep) string { return s.keys["uses"] }
	if len(steps) < 3 || uses(steps[0]) != "actions/checkout@v4" || uses(steps[1]) != "actions/setup-go@v5" ||
		steps[1].keys["go-version-file"] != "go.mod" {
		t.Fatalf("os primeiros passos devem ser actions/checkout@v4 e actions/setup-go@v5 (go-version-file: go.mod)")
	}

	var ids []string
	covered := map[string]bool{}
	total := 0
	for _, s := range steps[2 : len(steps)-1] {
		id := s.keys["id"]
		if uses(s) != "classroom-resources/autograding-command-grader@v1" {
			t.Errorf("linha %d: passo de nota sem classroom-resources/autograding-command-grader@v1", s.line)
		}
		if !regexp.MustCompile(`^[a-z0-9]+$`).MatchString(id) || slices.Contains(ids, id) {
			t.Errorf("linha %d: id %q deve ser único, minúsculas e dígitos (vira %s_RESULTS)", s.line, id, strings.ToUpper(id))
		}
		ids = append(ids, id)
		timeout, err1 := strconv.Atoi(s.keys["timeout"])
		score, err2 := strconv.Atoi(s.keys["max-score"])
		if s.keys["test-name"] == "" || err1 != nil || timeout < 1 || timeout > 60 || err2 != nil || score < 1 {
			t.Errorf("passo %s: test-name, timeout (minutos, 1–60) e max-score (> 0) são obrigatórios: %v", id, s.keys)
		}
		total += score
		for _, k := range []string{"command", "setup-command"} {
			if c, ok := s.keys[k]; ok && (c == "" || c == "|" || c == ">" || strings.HasPrefix(c, "|") || strings.HasPrefix(c, ">")) {
				t.Errorf("passo %s: %s tem de ser uma linha só, não um bloco YAML: %q", id, k, c)
			}
		}
		// O comando: go run ./cmd/roteiro e flags que o roteiro aceita,
		// separado como o sh do Classroom separaria (um -servidor 'python3
		// x.py' é uma palavra só).
		args, err := splitCommand(s.keys["command"], true)
		if err != nil {
			t.Errorf("passo %s: %v", id, err)
			continue
		}
		if len(args) < 4 || strings.Join(args[:3], " ") != "go run ./cmd/roteiro" {
			t.Errorf("passo %s: o comando deve ser go run ./cmd/roteiro ...: %q", id, s.keys["command"])
			continue
		}
		fs := flag.NewFlagSet("roteiro", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		finish := defineFlags(fs)
		if err := fs.Parse(args[3:]); err != nil {
			t.Errorf("passo %s: %v", id, err)
			continue
		}
		o, err := finish()
		if err != nil {
			t.Errorf("passo %s: %v", id, err)
			continue
		}
		if o.relatorio != "" {
			if _, err := os.Stat(filepath.Join("..", "..", o.relatorio)); err != nil {
				t.Errorf("passo %s: %v", id, err)
			}
			covered["relatorio"] = true
			continue
		}
		if !o.exigir || o.etapas == "" || (!o.rapido && o.servidor == nil) {
			t.Errorf("passo %s: sem -exigir o passo nunca reprova; use -etapas, e -rapido com os nossos servidores: %q", id, s.keys["command"])
		}
		stages, _ := selectStages(o.etapas)
		for _, st := range stages {
			covered[st.ID] = true
			python := o.servidor != nil && o.servidor.text == "python3 server_async.py"
			if mine := st.Server == "server_async"; python != (mine && trilha == "python") {
				t.Errorf("passo %s (trilha %s): -servidor 'python3 server_async.py' é só para a 3.3 e o Desafio da trilha Python: %q", id, trilha, s.keys["command"])
			}
		}
	}
	for _, want := range []string{"1.1", "1.2", "2.1", "3.3", "desafio", "relatorio"} {
		if !covered[want] {
			t.Errorf("nenhum passo de nota para %s", want)
		}
	}
	if len(ids) < 6 {
		t.Errorf("%d passos de nota, queria pelo menos 6", len(ids))
	}

	// O relator: lista todos os passos, com a variável <ID>_RESULTS de cada.
	rep := steps[len(steps)-1]
	if uses(rep) != "classroom-resources/autograding-grading-reporter@v1" || rep.keys["runners"] != strings.Join(ids, ",") {
		t.Errorf("último passo: autograding-grading-reporter@v1 com runners: %s (veio %q, %q)", strings.Join(ids, ","), uses(rep), rep.keys["runners"])
	}
	for _, id := range ids {
		want := `"${{steps.` + id + `.outputs.result}}"`
		if got := rep.env[strings.ToUpper(id)+"_RESULTS"]; got != want {
			t.Errorf("env do relator: %s_RESULTS = %q, queria %s", strings.ToUpper(id), got, want)
		}
	}
	if len(rep.env) != len(ids) {
		t.Errorf("env do relator com %d variáveis para %d passos", len(rep.env), len(ids))
	}
	if total != 100 {
		t.Errorf("%d pontos no total, queria 100", total)
	}
	t.Logf("%d passos de nota, %d pontos: %s", len(ids), total, strings.Join(ids, ", "))
}
