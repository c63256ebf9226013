// Roteiro executa o laboratório inteiro de ponta a ponta e imprime o que foi
// observado: para cada etapa do roteiro, sobe o servidor como processo
// filho numa porta livre do loopback, dispara o cliente, mede o servidor
// (threads do SO, memória, CPU, trocas de contexto, onde as threads
// esperam) e monta uma tabela.
//
//	go run ./cmd/roteiro            # o roteiro completo, delay de 5 s como no laboratório
//	go run ./cmd/roteiro -rapido    # uma primeira olhada: delay de 1 s
//	go run ./cmd/roteiro -escala    # os três modelos lado a lado até 19.000 conexões
//	go run ./cmd/roteiro -etapas 3.3,desafio -servidor 'python3 server_async.py'
//
// Os resultados das etapas são observações, não erros: o código de saída é 0
// sempre que tudo pôde rodar, e diferente de 0 só quando algo não pôde
// (compilação falhou, servidor não subiu) ou, com -exigir, quando uma etapa
// não mostrou o que devia (a correção automática usa -exigir).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"roteiro2/internal/cli"
)

// options são as flags do roteiro.
type options struct {
	delay    time.Duration
	delaySet bool // -delay foi dado explicitamente (vence o -rapido)
	rapido   bool
	saida    string
	etapas   string
	escala   bool
	escalaN  string
	churn    time.Duration
	exigir   bool
	json     string
	servidor *foreign // -servidor (nil = os servidores deste projeto)
	bin      string   // -bin: pasta com os programas já compilados ("" = compilar)
	// relatorio: só confere o relatório (relatorio.go) e sai.
	relatorio string
	// edicao: só escreve a edição dos alunos nesta pasta (edicao.go), da trilha.
	edicao, trilha string
}

func main() { os.Exit(run()) }

func run() int {
	finish := defineFlags(flag.CommandLine)
	cli.ParseCommandLine(about + "\n\nOnde as threads esperam (a seção com esse nome): " + waitsNote)
	o, err := finish()
	if err != nil {
		cli.Usage(err.Error())
	}
	if o.relatorio != "" {
		return checkReport(o.relatorio)
	}
	if o.edicao != "" {
		return writeEdition(o.edicao, o.trilha)
	}
	if o.servidor != nil {
		if err := o.servidor.lookPath(); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
			return 1
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer killAll() // nenhum filho sobrevive ao roteiro

	if o.saida != "" {
		if err := os.MkdirAll(o.saida, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: não consegui criar a pasta %s: %s\n", o.saida, errText(err))
			return 1
		}
	}
	if o.escala {
		return runEscala(ctx, o)
	}

	stages, _ := selectStages(o.etapas) // já validado em finish
	// A correção automática (-exigir, uma etapa): a primeira linha que o
	// aluno vê é a conclusão, ✓ ou ✗ e o porquê; o progresso sai depois dela.
	compact := o.exigir && len(stages) == 1
	if compact {
		holdProgress()
		defer releaseProgress() // nas saídas antecipadas também
	}
	progs := map[string]bool{}
	for _, s := range stages {
		progs[s.Client] = true
		if o.servidor == nil {
			progs[s.Server] = true
		}
	}
	bins, cleanup, err := programs(ctx, progs, o.bin)
	defer cleanup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
		return 1
	}

	rn := &runner{bins: bins, delay: o.delay, delaySet: o.delaySet, outDir: o.saida, foreign: o.servidor}
	progress("roteiro: %d etapa(s), delay %v, %d núcleo(s)", len(stages), o.delay, runtime.NumCPU())
	var rows []Row
	begin := time.Now()
	for _, st := range stages {
		if ctx.Err() != nil {
			break
		}
		name := st.ServerName
		if o.servidor != nil {
			name = o.servidor.name()
		}
		progress("etapa %-17s %s + %s, %d cliente(s)...", st.ID, name, st.Client, st.N)
		r, err := rn.runStageRetry(ctx, st)
		switch {
		case err != nil && ctx.Err() != nil:
			r.RunErr = interrupted // cortada no meio: não rodou
		case err != nil:
			r.RunErr = err.Error()
		}
		rows = append(rows, r)
		for _, a := range r.Adjust {
			progress("  (%s)", a)
		}
		switch {
		case r.Skipped != "":
			progress("  — não roda aqui: %s", r.Skipped)
		case r.RunErr != "":
			progress("  ✗ não pôde rodar: %s", r.RunErr)
		case r.Note != "":
			progress("  %s %s — %s (%.1fs)", r.Verdict.Mark(), r.Verdict.Why, r.Note, r.Elapsed.Seconds())
		default:
			progress("  %s %s (%.1fs)", r.Verdict.Mark(), r.Verdict.Why, r.Elapsed.Seconds())
		}
	}

	fmt.Print(FormatRun(rows, compact))
	releaseProgress() // com compact, o progresso guardado sai depois da conclusão
	progress("roteiro: %d etapa(s) em %.1fs", len(rows), time.Since(begin).Seconds())

	code := exitCode(rows, o.exigir)
	if o.saida != "" {
		path := filepath.Join(o.saida, "tabela.md")
		if err := os.WriteFile(path, []byte(markdownReport(rows, o)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: não consegui gravar %s: %s\n", path, errText(err))
			return 1
		}
		progress("roteiro: tabela e linhas do tempo em %s", o.saida)
	}
	if o.json != "" {
		if err := writeJSON(o.json, rows, o, ctx.Err() == nil && exitCode(rows, true) == 0); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: não consegui gravar %s: %s\n", o.json, errText(err))
			return 1
		}
		progress("roteiro: resultados em %s", o.json)
	}
	switch {
	case ctx.Err() != nil:
		progress("roteiro: interrompido; filhos encerrados")
		return 130
	case code != 0 && o.exigir:
		progress("roteiro: -exigir: %s", strings.Join(unmet(rows), "; "))
	}
	return code
}

// interrupted é o motivo de uma etapa cortada pelo Ctrl-C ou SIGTERM.
const interrupted = "interrompida (Ctrl-C ou SIGTERM) antes do fim"

// exitCode: 1 se alguma etapa não pôde rodar; com exigir, também se alguma
// não mostrou o que devia (✗) ou não roda neste sistema. Senão 0.
func exitCode(rows []Row, exigir bool) int {
	for _, r := range rows {
		if r.RunErr != "" {
			return 1
		}
	}
	if exigir && len(unmet(rows)) > 0 {
		return 1
	}
	return 0
}

// unmet lista as etapas que -exigir não aceita, e por quê.
func unmet(rows []Row) []string {
	var out []string
	for _, r := range rows {
		switch {
		case r.RunErr != "":
			out = append(out, r.ID+": não pôde rodar")
		case r.Skipped != "":
			out = append(out, r.ID+": não rodou ("+r.Skipped+")")
		case r.Verdict.Checked && !r.Verdict.OK:
			out = append(out, r.ID+": ✗")
		}
	}
	return out
}

// defineFlags registra as flags do roteiro em fs e devolve a função que,
// depois do Parse, as confere e monta as opções (um erro = uso errado). Os
// testes usam a mesma função com um FlagSet próprio (classroom_test.go).
func defineFlags(fs *flag.FlagSet) func() (options, error) {
	var o options
	dly := cli.Duration(fs, "delay", 5*time.Second,
		"tempo de \"processamento\" de cada pedido passado a todos os servidores, o sleep(5) do laboratório (5, 2.5, 300ms...)")
	fs.BoolVar(&o.rapido, "rapido", false,
		"primeira olhada: delay de 1 s (a menos que -delay seja dado; a etapa 1.2 fica com 5 s, veja acima); o roteiro inteiro leva menos de um minuto")
	fs.StringVar(&o.saida, "saida", "",
		"pasta onde gravar tabela.md (a tabela em Markdown, com data, máquina e o comando exato) e uma linha do tempo SVG por etapa; com -escala grava desempenho.md")
	fs.StringVar(&o.etapas, "etapas", "",
		"só estas etapas, separadas por vírgula (ex.: 1.1,3.3); conhecidas: "+stageIDs()+"; um prefixo vale por todas que começam com ele (\"escala\")")
	fs.BoolVar(&o.escala, "escala", false,
		"em vez do roteiro, compara os três modelos (server -modelo thread, server -modelo goroutine, server_async) com milhares de conexões e com conexões em sequência (churn)")
	fs.StringVar(&o.escalaN, "escala-n", "1000,5000,10000,19000",
		"com -escala: os números de clientes simultâneos, separados por vírgula")
	churn := cli.Duration(fs, "churn", 5*time.Second,
		"com -escala: duração do cenário de conexões em sequência (delay 0, conecta/envia/lê/fecha em laço); 0 = não rodar")
	fs.BoolVar(&o.exigir, "exigir", false,
		"sai com 1 se alguma etapa escolhida não mostrar o que devia (✗), não puder rodar ou não rodar neste sistema (a correção automática usa isto)")
	fs.StringVar(&o.json, "json", "",
		"grava neste arquivo cada etapa, seus números e seu veredicto em JSON (chaves explicadas acima)")
	servidor := fs.String("servidor", "",
		"roda este comando como o servidor das etapas escolhidas, no lugar dos deste projeto (exige -etapas; veja acima)")
	porta := fs.Int("porta", 65432,
		"com -servidor sem {porta}: a porta em que o comando escuta (a dos scripts Python)")
	ready := cli.Duration(fs, "prazo-servidor", 15*time.Second,
		"com -servidor: quanto esperar o comando começar a escutar")
	fs.StringVar(&o.bin, "bin", "",
		"roda os programas já compilados desta pasta (serverbloq, server, client...; no Windows serverbloq.exe...) em vez de compilá-los: para uma máquina sem o Go (um PC do laboratório, o Wine); compile-os com go build -o PASTA ./cmd/...")
	fs.StringVar(&o.relatorio, "relatorio", "",
		"só confere a forma do relatório (ex.: RELATORIO.md): Questão 1 e Questão 2 com pelo menos 40 palavras de resposta cada "+
			"(sem contar comentários, blocos de código, o texto da pergunta e marcadores como TODO), e o Desafio Extra com uma imagem "+
			"PNG/JPEG/GIF/SVG do repositório; o conteúdo é o professor quem julga; não roda etapas")
	fs.StringVar(&o.edicao, "edicao-aluno", "",
		"só escreve nesta pasta (nova ou vazia) o repositório dos alunos: sem as regiões de solução, sem o que é do professor, com o README e o classroom.yml deles; não roda etapas")
	fs.StringVar(&o.trilha, "trilha", "go",
		"com -edicao-aluno: go (o aluno escreve cmd/server_async) ou python (o aluno escreve server_async.py, e a correção o roda com -servidor)")

	return func() (options, error) {
		if fs.NArg() > 0 {
			return o, fmt.Errorf("argumento inesperado %q", fs.Arg(0))
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		o.delay, o.churn, o.delaySet = *dly, *churn, set["delay"]
		if o.rapido && !o.delaySet {
			o.delay = time.Second
		}
		if o.relatorio != "" {
			for name := range set {
				if name != "relatorio" {
					return o, fmt.Errorf("-relatorio só confere o relatório; não combine com -%s", name)
				}
			}
			return o, nil
		}
		if o.edicao != "" {
			for name := range set {
				if name != "edicao-aluno" && name != "trilha" {
					return o, fmt.Errorf("-edicao-aluno só escreve a edição dos alunos; não combine com -%s", name)
				}
			}
			if !slices.Contains(trilhas, o.trilha) {
				return o, fmt.Errorf("-trilha %q: use go ou python", o.trilha)
			}
			return o, nil
		}
		if set["trilha"] {
			return o, errors.New("-trilha só vale com -edicao-aluno")
		}
		if o.escala {
			for _, name := range []string{"etapas", "servidor", "exigir", "json"} {
				if set[name] {
					return o, fmt.Errorf("-%s não se combina com -escala", name)
				}
			}
		}
		if _, err := selectStages(o.etapas); err != nil {
			return o, err
		}
		if *porta < 1 || *porta > 65535 {
			return o, fmt.Errorf("-porta %d fora do intervalo 1–65535", *porta)
		}
		if *servidor != "" {
			if strings.TrimSpace(o.etapas) == "" {
				return o, errors.New("-servidor precisa de -etapas: diga quais etapas o seu servidor cumpre (ex.: -etapas 3.3,desafio)")
			}
			f, err := newForeign(*servidor, *porta, *ready)
			if err != nil {
				return o, err
			}
			o.servidor = f
		} else if set["porta"] || set["prazo-servidor"] {
			return o, errors.New("-porta e -prazo-servidor só valem com -servidor")
		}
		return o, nil
	}
}

// about é o texto do -h, antes da lista de opções.
const about = `Executa o Roteiro de Laboratório 2 de ponta a ponta e mostra o que foi observado.

Para cada etapa, compila os seis programas (uma vez; o cache do Go torna as
próximas execuções rápidas), sobe o servidor numa porta livre do 127.0.0.1,
dispara o cliente, mede o servidor a cada 50 ms (threads do SO, memória,
CPU, trocas de contexto), para o servidor e imprime uma tabela com uma linha
por etapa e uma coluna "esperado" (✓/✗) conferindo o que o roteiro prevê.
O progresso vai para a saída de erro; a tabela, para a saída padrão.

A etapa 1.2 nunca roda com delay abaixo de 3 s (com -rapido, fica com os 5 s
do laboratório): com um delay menor que o prazo de conexão dos clientes (2 s)
o servidor libera a fila antes de eles desistirem e a lição se perde. Se o
kernel responder com SYN cookies (máquina carregada: os SYN chegam em lote),
a 1.2 é repetida até quatro vezes, e cada tentativa perdida aparece na linha.

No Linux o roteiro também mostra onde as threads do servidor esperam (o
"wait channel" de cada thread em /proc/PID/task/TID/wchan, amostrado a cada
200 ms enquanto os clientes esperam) e a fila de accept do kernel, impressas
em seções abaixo da tabela (e como colunas em tabela.md):
  fila listen (pico Recv-Q/Send-Q)  o socket de escuta do servidor, como em
      ss -ltn, amostrado a cada 25 ms: Recv-Q = conexões com handshake completo
      esperando accept() (o pico), Send-Q = o limite da fila (o backlog).
      Na etapa 1.2 (listen(1)) confere Send-Q = 1 e Recv-Q ≤ 2 = backlog+1;
      com conexões chegando juntas em núcleos diferentes o kernel deixa
      passar uma a mais por núcleo (o teste de fila cheia roda sem a trava
      do socket de escuta e o enfileiramento vem depois): até backlog +
      núcleos é relatado como essa corrida (docs/fila-do-kernel.md).
  SYN descartados  quanto TcpExtListenOverflows (nstat) subiu na etapa: conta
      cada SYN (e cada ACK final) descartado por fila cheia, RETRANSMISSÕES
      INCLUÍDAS, e vale para o network namespace inteiro: outro tráfego da
      máquina pode somar.
Fora do Linux essas colunas aparecem como n/d.

Em tabela.md e na tabela de -escala há ainda "pilha do kernel/conexão": quanto
KernelStack (/proc/meminfo) subiu do repouso ao pico, dividido pelos clientes.
É a pilha que o kernel dá a cada thread (16 KiB no x86_64), memória que o RSS
não mostra; vale para a máquina inteira (outros processos podem movê-la). Só
no Linux.

-servidor 'CMD': o seu servidor no lugar dos deste projeto, nas etapas de
-etapas (obrigatório: diga quais etapas ele cumpre), com a mesma tabela, as
mesmas linhas do tempo e os mesmos veredictos:
  go run ./cmd/roteiro -etapas 3.3,desafio -servidor 'python3 server_async.py'
  go run ./cmd/roteiro -rapido -etapas 2.1 -servidor 'python3 srv.py {porta} {delay}'
  CMD é separado em palavras como um shell faria (aspas '...' e "...", e \ fora
  do Windows), mas nenhum shell roda: nada de |, >, $VAR ou *. {porta} vira a
  porta escolhida pelo roteiro (uma livre por etapa) e {delay} o delay em
  segundos, sem unidade (1, 0.5, 5). Sem {porta}, o comando deve escutar em
  127.0.0.1 na porta de -porta (65432, a dos scripts), que o roteiro confere
  estar livre antes. Sem {delay}, o roteiro supõe o sleep(5) dos scripts e
  usa 5 s (ou o -delay dado, que então é o delay do seu servidor).
  Pronto = a porta escuta. No Linux o roteiro vê isso na tabela de sockets do
  kernel, sem conectar. Nos outros sistemas só conectando: uma conexão de
  teste vazia (conecta, fecha a escrita, espera o servidor fechar); ela custa
  ao servidor um atendimento a mais antes dos clientes, e a um servidor
  sequencial como o servergargalo.py até um delay inteiro de espera.
  Os números do processo (threads, RSS, CPU, trocas, onde as threads esperam)
  vêm do /proc do processo iniciado (meça o python3 direto, sem invólucros como
  sh -c ou uv run); CPU e trocas são das threads vivas no fim ("≥"). O
  servidor é parado com SIGTERM (no Windows, CTRL_BREAK_EVENT; morrer por ele,
  o padrão do Python, não é falha) e morto depois de delay + 10 s.
  PYTHONUNBUFFERED=1 vai no ambiente.

-json ARQUIVO: um objeto com "comando", "data", "maquina", "sistema",
"delay_s", "servidor" (o -servidor, ou null), "ok" (o que -exigir decidiria)
e "etapas", uma lista com, por etapa: "id", "etapa", "servidor", "clientes",
"delay_s", "rodou", "motivo" (por que não rodou), "verificado", "ok" (null
sem veredicto), "esperado" (✓, ✗ ou —), "explicacao", "ajustes" (lista),
"nota", "resumo" (total, sucesso, timeout_conexao, timeout_resposta,
recusado, resetado, resetado_apos_resposta, erro, p50_s, p99_s, max_s), "threads_repouso",
"threads_pico", "rss_repouso_bytes", "rss_pico_bytes", "rss_por_conexao_bytes",
"pilha_kernel_por_conexao_bytes", "cpu_s", "trocas_contexto",
"trocas_contexto_piso", "fila_recvq_pico", "fila_sendq", "backlog",
"syn_descartados", "syn_cookies", "esperas" ({"wchan": threads}),
"esperas_texto", "linha_do_tempo" e "duracao_s". Todo número que o sistema
não informa (o "n/d" da tabela) é null, nunca -1.

Uso:
  go run ./cmd/roteiro [opções]

Exemplos:
  go run ./cmd/roteiro -rapido
  go run ./cmd/roteiro -saida resultados -json resultados/roteiro.json
  go run ./cmd/roteiro -etapas 1.1,1.2 -delay 3
  go run ./cmd/roteiro -rapido -exigir -etapas 3.3
  go run ./cmd/roteiro -relatorio RELATORIO.md
  go run ./cmd/roteiro -edicao-aluno ../roteiro2-aluno -trilha python
  go run ./cmd/roteiro -escala -saida docs
  roteiro.exe -rapido -bin programas   (Windows sem o Go: os .exe em programas\)

Código de saída: 0 se tudo rodou (os desfechos dos clientes são observações,
não erros); 1 se algo não pôde rodar, ou, com -exigir, se alguma etapa deu ✗
ou não roda neste sistema; 2 para opções inválidas; 130 no Ctrl-C (todos os
processos filhos são encerrados).`

var (
	progressMu   sync.Mutex
	progressHeld *bytes.Buffer // não nil: o progresso é guardado (holdProgress)
)

// progress escreve uma linha de progresso na saída de erro (ou a guarda,
// depois de holdProgress).
func progress(format string, args ...any) {
	progressMu.Lock()
	defer progressMu.Unlock()
	if progressHeld != nil {
		fmt.Fprintf(progressHeld, format+"\n", args...)
		return
	}
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// holdProgress guarda o progresso até releaseProgress.
func holdProgress() {
	progressMu.Lock()
	defer progressMu.Unlock()
	progressHeld = &bytes.Buffer{}
}

// releaseProgress escreve o progresso guardado e volta a escrevê-lo na hora.
func releaseProgress() {
	progressMu.Lock()
	defer progressMu.Unlock()
	if progressHeld != nil {
		os.Stderr.Write(progressHeld.Bytes())
		progressHeld = nil
	}
}

// goCommand é o go do PATH, ou o da instalação que compilou o roteiro.
func goCommand() string {
	if goBin, err := exec.LookPath("go"); err == nil {
		return goBin
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// build compila os programas pedidos numa pasta temporária, a partir da raiz
// do módulo (moduleRoot). Devolve programa → executável.
func build(ctx context.Context, progs map[string]bool) (map[string]string, func(), error) {
	nop := func() {}
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, nop, err
	}
	dir, err := os.MkdirTemp("", "roteiro-bin-")
	if err != nil {
		return nil, nop, err
	}
	cleanup := func() { os.RemoveAll(dir) }

	args := []string{"build", "-o", dir + string(filepath.Separator)}
	bins := map[string]string{}
	for _, p := range []string{"serverbloq", "servergargalo", "server", "server_async", "client", "clientenervoso"} {
		if !progs[p] || (p == "server_async" && asyncReason(runtime.GOOS) != "") {
			continue // o que não roda aqui nem é compilado (as etapas dele ficam de fora)
		}
		if _, err := os.Stat(filepath.Join(root, "cmd", p)); err != nil {
			continue // esta edição não o traz (trilha Python: cmd/server_async); veja missingProgram
		}
		args = append(args, "roteiro2/cmd/"+p)
		exe := p
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		bins[p] = filepath.Join(dir, exe)
	}
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, goCommand(), args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, cleanup, fmt.Errorf("a compilação falhou (%v):\n%s", err, out)
	}
	progress("roteiro: %d programa(s) compilado(s) em %.1fs", len(bins), time.Since(t0).Seconds())
	return bins, cleanup, nil
}
