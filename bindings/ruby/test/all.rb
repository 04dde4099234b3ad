# frozen_string_literal: true

# The minitest suite of the Ruby binding (bindings.ruby in CTest).
Dir[File.join(__dir__, "test_*.rb")].sort.each { |f| require f }
