// Roteiro executa o laboratório inteiro de ponta a ponta e imprime o que foi
// observado: para cada etapa do roteiro, sobe o servidor como processo
// filho numa porta livre do loopback, dispara o cliente, mede o servidor
// (threads do SO, memória, CPU, trocas de contexto) e monta uma tabela.
//
//	go run ./cmd/roteiro            # o roteiro completo, delay de 5 s como no laboratório
//	go run ./cmd/roteiro -rapido    # uma primeira olhada: delay de 1 s
//	go run ./cmd/roteiro -escala    # os três modelos lado a lado até 19.000 conexões
//
// Os resultados das etapas são observações, não erros: o código de saída é 0
// sempre que tudo pôde rodar, e diferente de 0 só quando algo não pôde
// (compilação falhou, servidor não subiu).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"roteiro2/internal/cli"
)

// options são as flags do roteiro.
type options struct {
	delay    time.Duration
	rapido   bool
	saida    string
	etapas   string
	escala   bool
	escalaN  string
	churn    time.Duration
	delaySet bool // -delay foi dado explicitamente (vence o -rapido)
}

func main() { os.Exit(run()) }

func run() int {
	o := parseFlags()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer killAll() // nenhum filho sobrevive ao roteiro

	if o.saida != "" {
		if err := os.MkdirAll(o.saida, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: não consegui criar %s: %v\n", o.saida, err)
			return 1
		}
	}
	if o.escala {
		return runEscala(ctx, o)
	}

	stages, err := selectStages(o.etapas)
	if err != nil {
		cli.Usage(err.Error())
	}
	progs := map[string]bool{}
	for _, s := range stages {
		progs[s.Server], progs[s.Client] = true, true
	}
	bins, cleanup, err := build(ctx, progs)
	defer cleanup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
		return 1
	}

	rn := &runner{bins: bins, delay: o.delay, outDir: o.saida}
	progress("roteiro: %d etapa(s), delay %v, %d núcleo(s)", len(stages), o.delay, runtime.NumCPU())
	var rows []Row
	failed := false
	begin := time.Now()
	for _, st := range stages {
		if ctx.Err() != nil {
			break
		}
		progress("etapa %-17s %s + %s, %d cliente(s)...", st.ID, st.ServerName, st.Client, st.N)
		r, err := rn.runStageRetry(ctx, st)
		rows = append(rows, r)
		for _, a := range r.Adjust {
			progress("  (%s)", a)
		}
		switch {
		case r.Skipped != "":
			progress("  — não roda neste sistema: %s", r.Skipped)
		case err != nil && ctx.Err() == nil:
			failed = true
			progress("  ✗ não pôde rodar: %v", err)
		default:
			progress("  %s %s (%.1fs)", r.Verdict.Mark(), r.Verdict.Why, r.Elapsed.Seconds())
		}
	}

	fmt.Print(FormatText(Header, rowsCells(rows)))
	fmt.Println()
	fmt.Print(FormatWaits(rows))
	fmt.Println()
	fmt.Print(FormatQueue(rows, queueEvery))
	fmt.Println()
	for _, r := range rows {
		fmt.Println(VerdictLine(r))
	}
	progress("roteiro: %d etapa(s) em %.1fs", len(rows), time.Since(begin).Seconds())

	if o.saida != "" {
		path := filepath.Join(o.saida, "tabela.md")
		if err := os.WriteFile(path, []byte(markdownReport(rows, o)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
			return 1
		}
		progress("roteiro: tabela e linhas do tempo em %s", o.saida)
	}
	switch {
	case ctx.Err() != nil:
		progress("roteiro: interrompido; filhos encerrados")
		return 130
	case failed:
		return 1
	}
	return 0
}

func parseFlags() options {
	var o options
	fs := flag.CommandLine
	dly := cli.Duration(fs, "delay", 5*time.Second,
		"tempo de \"processamento\" de cada pedido passado a todos os servidores, o sleep(5) do laboratório (5, 2.5, 300ms...)")
	fs.BoolVar(&o.rapido, "rapido", false,
		"primeira olhada: delay de 1 s (a menos que -delay seja dado); o roteiro inteiro leva menos de um minuto")
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
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() > 0 {
		cli.Usage(fmt.Sprintf("argumento inesperado %q", flag.Arg(0)))
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "delay" {
			o.delaySet = true
		}
	})
	o.delay, o.churn = *dly, *churn
	if o.rapido && !o.delaySet {
		o.delay = time.Second
	}
	if o.escala && o.etapas != "" {
		cli.Usage("-etapas não se combina com -escala")
	}
	return o
}

func usage() {
	out := flag.CommandLine.Output()
	fmt.Fprint(out, `roteiro: executa o Roteiro de Laboratório 2 de ponta a ponta e mostra o que foi observado.

Para cada etapa, compila os seis programas (uma vez; o cache do Go torna as
próximas execuções rápidas), sobe o servidor numa porta livre do 127.0.0.1,
dispara o cliente, mede o servidor a cada 50 ms (threads do SO, memória,
CPU, trocas de contexto), para o servidor e imprime uma tabela com uma linha
por etapa e uma coluna "esperado" (✓/✗) conferindo o que o roteiro prevê.
O progresso vai para a saída de erro; a tabela, para a saída padrão.

No Linux também observa a fila de accept do kernel em cada etapa, impressa na
seção "Fila do kernel" (e em tabela.md):
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
Fora do Linux essas duas colunas aparecem como n/d.

Em tabela.md e na tabela de -escala há ainda "pilha do kernel/conexão": quanto
KernelStack (/proc/meminfo) subiu do repouso ao pico, dividido pelos clientes.
É a pilha que o kernel dá a cada thread (16 KiB no x86_64), memória que o RSS
não mostra; vale para a máquina inteira (outros processos podem movê-la). Só
no Linux.

Uso:
  go run ./cmd/roteiro [opções]

Exemplos:
  go run ./cmd/roteiro -rapido
  go run ./cmd/roteiro -saida resultados
  go run ./cmd/roteiro -etapas 1.1,1.2 -delay 3
  go run ./cmd/roteiro -escala -saida docs

Código de saída: 0 se tudo rodou (os desfechos dos clientes são observações,
não erros); 1 se algo não pôde rodar; 2 para opções inválidas; 130 no Ctrl-C
(todos os processos filhos são encerrados).

Opções:
`)
	flag.PrintDefaults()
}

// progress escreve uma linha de progresso na saída de erro.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// build compila os programas pedidos numa pasta temporária, a partir da raiz
// do módulo (achada com `go env GOMOD`, para funcionar de qualquer pasta do
// repositório). Devolve programa → executável.
func build(ctx context.Context, progs map[string]bool) (map[string]string, func(), error) {
	nop := func() {}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.CommandContext(ctx, goBin, "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return nil, nop, errors.New("não achei o módulo roteiro2: execute de dentro do repositório (ex.: go run ./cmd/roteiro)")
	}
	root := filepath.Dir(gomod)
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
		args = append(args, "roteiro2/cmd/"+p)
		exe := p
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		bins[p] = filepath.Join(dir, exe)
	}
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, cleanup, fmt.Errorf("a compilação falhou (%v):\n%s", err, out)
	}
	progress("roteiro: %d programa(s) compilado(s) em %.1fs", len(bins), time.Since(t0).Seconds())
	return bins, cleanup, nil
}
